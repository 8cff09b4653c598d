package io.infergate.loadgen.arrival;

/** How requests are spaced at a given rate. */
public enum Spacing {
    /** Evenly: one request every {@code 1 / rate} seconds. */
    CONSTANT,
    /** As a Poisson process: exponentially distributed gaps with mean {@code 1 / rate} seconds. */
    POISSON
}
