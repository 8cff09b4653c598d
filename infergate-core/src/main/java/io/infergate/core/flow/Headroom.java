package io.infergate.core.flow;

/**
 * How many more requests a pool can take now without passing its saturation thresholds: for the
 * highest class, and for the lower classes, which see the thresholds reduced by the share reserved
 * for the highest. Measured by {@link SaturationThresholds#headroom}.
 *
 * <pre>{@code
 * Headroom room = policy.saturation().headroom(fleet, inFlight, fleet.slotsServing(model), policy.reservedForCritical());
 * Admission<Call> admission = controller.admit(request, room, ticker.read());
 * }</pre>
 *
 * @param highest requests the highest class may still dispatch, {@code >= 0}
 * @param lower   requests each lower class may still dispatch, {@code >= 0} and at most {@code highest}
 */
public record Headroom(int highest, int lower) {

    /** No bound at all: flow control lets everything through. */
    public static final Headroom UNLIMITED = new Headroom(Integer.MAX_VALUE, Integer.MAX_VALUE);
    /** A saturated pool: everything waits. */
    public static final Headroom NONE = new Headroom(0, 0);

    public Headroom {
        if (highest < 0 || lower < 0 || lower > highest) {
            throw new IllegalArgumentException("headroom: highest " + highest + ", lower " + lower
                    + " (expected: 0 <= lower <= highest)");
        }
    }

    /** The same room for every class. */
    public static Headroom of(int requests) {
        return new Headroom(requests, requests);
    }

    /** The room of the class of rank {@code rank} (0 is the highest). */
    public int forRank(int rank) {
        return rank == 0 ? highest : lower;
    }
}
