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
     * The default: while the highest class has sent requests in the last few seconds, twice the number of its
     * requests expected while one place frees, rounded up (one or two places); none when it sends none.
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
     * Lower classes may take the pool's room only down to {@code floorRequests} plus {@code burst} times the
     * requests of the highest class expected to arrive while one place frees: its arrival rate over the
     * rate at which the pool dispatches (every class; a place frees for each), both exponentially decaying
     * counts ({@code window} for the arrivals, {@link DrainRate#TIME_CONSTANT_NANOS} for the dispatches).
     * The ratio is at most 1 (the rate of dispatches is taken as at least that of the arrivals), so the
     * reserve is at most {@code floorRequests + burst}; with a quiet highest class and a busy pool it is
     * {@code floorRequests + 1}. The places kept free stay idle while no critical request comes, so the
     * default keeps few: a critical request that finds none waits only for the next place to free, which
     * in a busy pool is soon, and which goes to it before any lower class. A critical burst raises it at once; after it, it shrinks with the counts.
     * Capacity comes back to the highest class as requests finish and places free (dispatch order), never
     * by cutting a stream. Once its decayed count of arrivals falls below {@value #IDLE_BELOW} (about three
     * windows after the last of a trickle) nothing is reserved, so a pool of one small server is not held
     * back for a class that is not used.
     *
     * @param floorRequests places kept whenever the highest class is active, besides those its demand asks, {@code >= 0}
     * @param burst         places per request expected while one place frees, {@code >= 0}
     * @param window        the time constant of the arrivals' count, {@code > 0}
     */
    record FollowsDemand(int floorRequests, double burst, Duration window) implements CriticalReserve {

        static final FollowsDemand DEFAULT = new FollowsDemand(0, 2, Duration.ofSeconds(1));
        /** Below this decayed count of recent arrivals, the highest class counts as idle. */
        static final double IDLE_BELOW = 0.05;

        public FollowsDemand {
            Objects.requireNonNull(window, "window");
            if (floorRequests < 0) {
                throw new IllegalArgumentException("floorRequests: " + floorRequests + " (expected: >= 0)");
            }
            if (!(burst >= 0) || Double.isInfinite(burst)) {
                throw new IllegalArgumentException("burst: " + burst + " (expected: a finite number >= 0)");
            }
            if (window.isNegative() || window.isZero()) {
                throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
            }
        }

        @Override
        public double thresholdShare() {
            return 0;
        }

        /** Places to keep, given the decayed count of recent arrivals and the two rates, per second. */
        int places(double recentArrivals, double arrivalsPerSecond, double dispatchesPerSecond) {
            if (recentArrivals < IDLE_BELOW) {
                return 0;
            }
            double perFreedPlace = arrivalsPerSecond / Math.max(arrivalsPerSecond, dispatchesPerSecond);
            return floorRequests + (int) Math.ceil(burst * perFreedPlace - 1e-9);
        }
    }
}
