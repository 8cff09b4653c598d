package io.infergate.gateway.event;

/**
 * How one request ended, answered by an endpoint or by the gateway itself.
 *
 * @param model          the model it was served by, or the one it named when it was not served
 * @param endpointId     the endpoint of its last attempt, or {@link #NO_ENDPOINT}
 * @param outcome        how it ended
 * @param durationNanos  from its arrival to its end
 */
public record ExchangeEnd(String model, String endpointId, Outcome outcome, long durationNanos) {

    /** The endpoint of a request that never had an attempt sent. */
    public static final String NO_ENDPOINT = "none";
}
