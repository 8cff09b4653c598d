package io.infergate.core.fleet;

/**
 * Where an endpoint is in its life: only {@code READY} endpoints get new requests. A {@code DRAINING}
 * endpoint finishes what it has; a {@code REMOVED} one has left the fleet (taken out of the
 * configuration, or released by the autoscaler, once idle) and keeps its slot only so that slot-indexed
 * state elsewhere stays valid.
 */
public enum Lifecycle {
    STARTING, READY, DRAINING, REMOVED
}
