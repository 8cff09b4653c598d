package io.infergate.core.health;

/**
 * One endpoint's request outcomes over a sliding window: counts of requests and failures and the sum
 * of latency samples, in {@value #BUCKETS} buckets of a tenth of the window each, so a figure covers
 * between 90 % and 100 % of the window. Not thread-safe: {@link OutlierDetector} guards it.
 */
final class OutcomeWindow {

    static final int BUCKETS = 10;

    private final long bucketNanos;
    /** Which bucket period each slot holds, {@code floorDiv(nanos, bucketNanos)}. */
    private final long[] periods = new long[BUCKETS];
    private final int[] requests = new int[BUCKETS];
    private final int[] failures = new int[BUCKETS];
    private final int[] latencySamples = new int[BUCKETS];
    private final long[] latencySumNanos = new long[BUCKETS];

    OutcomeWindow(long windowNanos) {
        this.bucketNanos = Math.max(1, windowNanos / BUCKETS);
        clear();
    }

    void success(long latencyNanos, long nowNanos) {
        int slot = slot(nowNanos);
        requests[slot]++;
        if (latencyNanos >= 0) {
            latencySamples[slot]++;
            latencySumNanos[slot] += latencyNanos;
        }
    }

    void failure(long nowNanos) {
        int slot = slot(nowNanos);
        requests[slot]++;
        failures[slot]++;
    }

    int requests(long nowNanos) {
        return sum(requests, nowNanos);
    }

    int failures(long nowNanos) {
        return sum(failures, nowNanos);
    }

    int latencySamples(long nowNanos) {
        return sum(latencySamples, nowNanos);
    }

    /** Mean of the window's latency samples, or -1 when there are none. */
    double meanLatencyNanos(long nowNanos) {
        long period = Math.floorDiv(nowNanos, bucketNanos);
        long sum = 0;
        int samples = 0;
        for (int slot = 0; slot < BUCKETS; slot++) {
            if (current(slot, period)) {
                sum += latencySumNanos[slot];
                samples += latencySamples[slot];
            }
        }
        return samples == 0 ? -1 : (double) sum / samples;
    }

    /** Forgets every outcome: a re-admitted endpoint starts afresh. */
    void clear() {
        for (int slot = 0; slot < BUCKETS; slot++) {
            reset(slot, Long.MIN_VALUE);
        }
    }

    /** The slot for {@code nowNanos}, emptied first if it held an older period. */
    private int slot(long nowNanos) {
        long period = Math.floorDiv(nowNanos, bucketNanos);
        int slot = (int) Math.floorMod(period, BUCKETS);
        if (periods[slot] != period) {
            reset(slot, period);
        }
        return slot;
    }

    private void reset(int slot, long period) {
        periods[slot] = period;
        requests[slot] = 0;
        failures[slot] = 0;
        latencySamples[slot] = 0;
        latencySumNanos[slot] = 0;
    }

    private int sum(int[] counts, long nowNanos) {
        long period = Math.floorDiv(nowNanos, bucketNanos);
        int sum = 0;
        for (int slot = 0; slot < BUCKETS; slot++) {
            if (current(slot, period)) {
                sum += counts[slot];
            }
        }
        return sum;
    }

    /** Whether {@code slot} holds one of the {@value #BUCKETS} periods ending with {@code period}. */
    private boolean current(int slot, long period) {
        long held = periods[slot];
        return held != Long.MIN_VALUE && held <= period && period - held < BUCKETS;
    }
}
