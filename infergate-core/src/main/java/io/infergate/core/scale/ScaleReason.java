package io.infergate.core.scale;

import java.util.Locale;

/**
 * Why the autoscaler decided what it did: a closed, low-cardinality set, exported as the
 * {@code reason} label of {@code infergate_autoscaler_decisions_total}. The human sentence with the
 * figures is {@link Decision#detail()}.
 */
public enum ScaleReason {
    /** The pool could not be read (no gateway answered): the host holds rather than act on no data. */
    NO_DATA,
    /** Fewer nodes than the configured minimum. */
    BELOW_MIN,
    /** More nodes than the configured maximum. */
    ABOVE_MAX,
    /** Fewer nodes than the active schedule window asks for. */
    SCHEDULE_MIN,
    /** More nodes than the active schedule window allows. */
    SCHEDULE_MAX,
    /** The queue exploded, past the burst line: straight to the maximum. */
    BURST,
    /** Requests wait and what the pool holds rises fast enough to take the queue past the burst line within the horizon. */
    BURST_GROWTH,
    /** Hot-plug rule: queue length above threshold × node count. */
    QUEUE_OVER_THRESHOLD,
    /** Pool utilisation above the target band. */
    UTILISATION_ABOVE_BAND,
    /** Hot-plug rule: queue length below threshold × 0.7 × node count, and utilisation below the band. */
    QUEUE_UNDER_THRESHOLD,
    /** Scaling up would help but the scale-up cool-down has not passed. */
    SCALE_UP_COOLDOWN,
    /** Scaling down would be possible but the scale-down cool-down has not passed. */
    SCALE_DOWN_COOLDOWN,
    /** Scaling up would help but the pool is at its maximum. */
    AT_MAX,
    /** Scaling up would help but the provider offers no node anywhere. */
    NO_CAPACITY,
    /** Scaling down waits until the nodes being started are ready. */
    NODES_STARTING,
    /**
     * Utilisation is above the band, but one more node would leave the pool further below it than it
     * now is above it: with few nodes a node is a large step (three at 93 % are four at 70 %).
     */
    NEAREST_TO_BAND,
    /** Nothing to do: the queue and utilisation are inside their bands. */
    IN_BAND;

    /** Lower-case name used as a metric label and in JSON, e.g. {@code queue_over_threshold}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
