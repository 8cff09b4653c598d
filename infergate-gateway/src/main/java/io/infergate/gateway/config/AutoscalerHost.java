package io.infergate.gateway.config;

/**
 * Where the autoscaler of the {@code autoscaler:} section runs ({@code autoscaler.run_in}): one of them,
 * never both, or the two would add nodes for the same queue.
 */
public enum AutoscalerHost {
    /** Inside the gateway that reads the file ({@code infergate serve}): the default. */
    GATEWAY,
    /**
     * In its own process ({@code infergate autoscale --config FILE --gateway URL ...}), acting through the
     * gateways' admin APIs; the gateway runs none.
     */
    EXTERNAL
}
