package io.infergate.gateway.config;

/**
 * The scheduler a gateway routes with ({@code routing.scheduler}). {@link #configName()} gives the
 * spelling in the file, e.g. {@code load-aware}, which is also the scheduler's
 * {@link io.infergate.core.schedule.Scheduler#name()}.
 */
public enum SchedulerKind {
    /** Scores endpoints by queue depth, KV-cache use, in-flight requests, latency and cost. */
    LOAD_AWARE,
    /** Plain rotation, the baseline a classic load balancer gives. */
    ROUND_ROBIN,
    /** Fewest requests in flight from this gateway, the classic "least connections". */
    LEAST_IN_FLIGHT,
    /**
     * Predicts each request's time to first token and end-to-end time on every endpoint, from the work in
     * front of it and the speeds learnt from what the gateway observes, and takes the soonest (or, under a
     * class's {@code slo}, the least loaded endpoint predicted to meet it).
     */
    PREDICTED_LATENCY;

    /** The spelling in the configuration file, e.g. {@code load-aware}. */
    public String configName() {
        return ConfigNames.of(this);
    }
}
