package io.infergate.core.flow;

import java.time.Duration;
import java.util.Objects;

/**
 * The capacity kept free for the highest class, so that its requests dispatch at once while lower classes
 * wait: a fixed share of every threshold, or a number of requests that follows the highest class's recent
 * demand (the default).
 *
 * <pre>{@code
 * CriticalReserve auto = CriticalReserve.followsDemand();     // flow_control.reserved_for_critical: auto
 * CriticalReserve fixed = new CriticalReserve.Fixed(0.25);   // flow_control.reserved_for_critical: 0.25
 * }</pre>
 */
public sealed interface CriticalReserve {

    /**
     * The default: while the highest class has sent requests in the last few seconds, one place plus one for each
     * of its requests in about the last second; none when it sends none.
     */
    static CriticalReserve followsDemand() {
        return FollowsDemand.DEFAULT;
    }

    /** The share of every saturation threshold kept from lower classes, endpoint by endpoint; 0 when it follows demand. */
    double thresholdShare();

    /**
     * Lower classes see every saturation threshold multiplied by {@code 1 - share} (count thresholds rounded
     * down, never below 1): with little traffic of the highest class, that share stays unused.
     *
     * @param share in [0, 1)
     */
    record Fixed(double share) implements CriticalReserve {
        public Fixed {
            if (!(share >= 0 && share < 1)) {
                throw new IllegalArgumentException("reservedForCritical: " + share + " (expected: >= 0 and < 1)");
            }
        }

        @Override
        public double thresholdShare() {
            return share;
        }
    }

    /**
     * Lower classes may take the pool's room only down to {@code floorRequests} plus the highest class's
     * recent arrivals: an exponentially decaying count of them with time constant {@code window}, so that
     * with a steady rate r the reserve settles at {@code floorRequests + ⌈r × window⌉}. It grows at once
     * with each request of a burst, and shrinks with the time constant after it; capacity comes back to
     * the highest class as requests finish and places free (dispatch order), never by cutting a stream.
     * Once that count falls below {@value #IDLE_BELOW} (about three time constants after the last such
     * request) nothing is reserved, so a pool of one small server is not held back for a class that is not used.
     *
     * @param floorRequests places kept even with no recent demand, {@code >= 0}
     * @param window        the time constant of the demand, {@code > 0}
     */
    record FollowsDemand(int floorRequests, Duration window) implements CriticalReserve {

        static final FollowsDemand DEFAULT = new FollowsDemand(1, Duration.ofSeconds(1));
        /** Below this decayed count of recent arrivals, the highest class counts as idle. */
        static final double IDLE_BELOW = 0.05;

        public FollowsDemand {
            Objects.requireNonNull(window, "window");
            if (floorRequests < 0) {
                throw new IllegalArgumentException("floorRequests: " + floorRequests + " (expected: >= 0)");
            }
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
            }
        }

        @Override
        public double thresholdShare() {
            return 0;
        }
    }
}
