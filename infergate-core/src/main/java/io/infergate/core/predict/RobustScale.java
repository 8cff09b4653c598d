package io.infergate.core.predict;

/**
 * One learnt speed factor: how many times slower than its prior an endpoint does something (prefill,
 * a decode step, draining its queue). Each observation gives a sample of the factor; the estimate is
 * the <em>weighted median</em> of the last {@value #WINDOW} samples, never a mean, so that a few wild
 * samples (a stalled connection, a garbage-collection pause, a prompt served from the prefix cache)
 * do not move it at all, while a real change of speed, which every new sample shows, takes it over
 * within a few samples.
 *
 * <p>A sample's weight is {@value #RANK_DECAY} to the power of its rank (0 for the newest), times a
 * time decay {@code exp(-age / }{@value #TIME_CONSTANT_SECONDS}{@code  s)} that never falls below
 * {@value #AGE_FLOOR}. With samples arriving steadily, three or four new ones outweigh the other
 * twelve, so a server that becomes three times slower is followed within a second or two of its
 * traffic; two wild samples in a row are still outvoted. After a quiet spell the old samples weigh
 * {@value #AGE_FLOOR} as much, so two agreeing new samples take over at once, but a single one
 * cannot.
 *
 * <p>Fewer than {@value #MIN_SAMPLES} samples give no estimate ({@link Double#NaN}): the caller then
 * uses a fallback. Not thread-safe: the owner guards it.
 */
final class RobustScale {

    static final int WINDOW = 16;
    static final int MIN_SAMPLES = 3;
    static final double RANK_DECAY = 0.85;
    static final double TIME_CONSTANT_SECONDS = 2;
    static final double AGE_FLOOR = 0.25;
    /** Samples are clipped to this many times faster or slower than the prior before they count. */
    static final double MAX_FACTOR = 100;

    private final double[] logs = new double[WINDOW];
    private final long[] atNanos = new long[WINDOW];
    /** Scratch for the median: indices of the samples, sorted by value. */
    private final int[] order = new int[WINDOW];
    private final double[] weights = new double[WINDOW];
    private int size;
    /** Where the next sample goes; the newest is just before it. */
    private int next;
    private double estimate = Double.NaN;

    /** Adds a sample of the factor taken at {@code nowNanos}; returns the new estimate (NaN while too few). */
    double add(double factor, long nowNanos) {
        if (!(factor > 0)) {
            factor = 1 / MAX_FACTOR; // an observation faster than anything the model explains
        }
        logs[next] = Math.log(Math.clamp(factor, 1 / MAX_FACTOR, MAX_FACTOR));
        atNanos[next] = nowNanos;
        next = (next + 1) % WINDOW;
        size = Math.min(size + 1, WINDOW);
        estimate = size < MIN_SAMPLES ? Double.NaN : Math.exp(weightedMedian(nowNanos));
        return estimate;
    }

    /** The current estimate, or NaN with fewer than {@value #MIN_SAMPLES} samples. */
    double estimate() {
        return estimate;
    }

    /** How many samples the estimate rests on, at most {@value #WINDOW}. */
    int samples() {
        return size;
    }

    private double weightedMedian(long nowNanos) {
        double total = 0;
        double rankWeight = 1;
        for (int rank = 0; rank < size; rank++) {
            int i = Math.floorMod(next - 1 - rank, WINDOW);
            double ageSeconds = Math.max(0, nowNanos - atNanos[i]) / 1e9;
            weights[i] = rankWeight * Math.max(AGE_FLOOR, Math.exp(-ageSeconds / TIME_CONSTANT_SECONDS));
            total += weights[i];
            rankWeight *= RANK_DECAY;
            order[rank] = i;
        }
        // insertion sort of at most 16 indices by value
        for (int a = 1; a < size; a++) {
            int index = order[a];
            int b = a - 1;
            while (b >= 0 && logs[order[b]] > logs[index]) {
                order[b + 1] = order[b];
                b--;
            }
            order[b + 1] = index;
        }
        double half = total / 2;
        double cumulative = 0;
        for (int k = 0; k < size; k++) {
            cumulative += weights[order[k]];
            if (cumulative >= half) {
                return logs[order[k]];
            }
        }
        return logs[order[size - 1]];
    }
}
