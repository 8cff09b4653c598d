package io.infergate.core.schedule;

/**
 * The first stage of a pick: removes the endpoints that cannot take the request at all.
 *
 * <p>An implementation says why one endpoint fails in {@link #rejection}, and implements
 * {@link #retain} as {@code return Filter.retainPassing(this, context, slots, count, rejections);}.
 * The scheduler calls {@code retain} once per filter per pick; inlined into a final class, the
 * helper's per-endpoint call to {@code rejection} is then direct, where a loop over filters calling
 * {@code rejection} would dispatch virtually for every endpoint, which doubled the filter stage's cost.
 */
interface Filter {

    /** A short name shown in {@link PickExplanation}, e.g. {@code accepts-requests}. */
    String name();

    /**
     * Why the endpoint at {@code slot} cannot take the request, or {@code null} when it can. Runs for
     * every endpoint on every pick: must not allocate, and should return constant reasons.
     */
    String rejection(PickContext context, int slot);

    /**
     * Keeps, in order at the front of {@code slots}, those of {@code slots[0..count)} that pass;
     * returns how many. Reports each one removed to {@code rejections} unless it is null.
     */
    int retain(PickContext context, int[] slots, int count, Rejections rejections);

    /** The body of every {@link #retain}: asks {@code filter} about each slot and compacts the array. */
    static int retainPassing(Filter filter, PickContext context, int[] slots, int count, Rejections rejections) {
        int kept = 0;
        for (int i = 0; i < count; i++) {
            int slot = slots[i];
            String reason = filter.rejection(context, slot);
            if (reason == null) {
                slots[kept++] = slot;
            } else if (rejections != null) {
                rejections.rejected(slot, filter, reason);
            }
        }
        return kept;
    }

    /** Receives the endpoints a filter removed, for explanations and error messages. */
    @FunctionalInterface
    interface Rejections {
        void rejected(int slot, Filter filter, String reason);
    }
}
