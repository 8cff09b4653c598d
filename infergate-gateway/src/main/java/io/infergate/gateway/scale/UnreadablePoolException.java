package io.infergate.gateway.scale;

/**
 * Thrown by {@link ScalingTarget#read} when the pool could not be read at all, e.g. no gateway answered.
 * The autoscaler then holds: it neither adds nor releases nor stops a node on no data.
 */
public final class UnreadablePoolException extends Exception {

    public UnreadablePoolException(String message) {
        super(message);
    }
}
