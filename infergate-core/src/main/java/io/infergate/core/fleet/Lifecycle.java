package io.infergate.core.fleet;

/** Where an endpoint is in its life: only {@code READY} endpoints get new requests. */
public enum Lifecycle {
    STARTING, READY, DRAINING
}
