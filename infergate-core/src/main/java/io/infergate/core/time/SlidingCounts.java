package io.infergate.core.time;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * A few counters summed over a sliding window of {@link Ticker} time, kept in {@value #BUCKETS}
 * buckets of a tenth of the window each, so a sum covers between 90 % and 100 % of the window and
 * an update costs one bucket check. Not thread-safe: the owner guards it.
 *
 * <pre>{@code
 * SlidingCounts counts = new SlidingCounts(Duration.ofSeconds(10), 2);   // counters 0 and 1
 * counts.add(0, 1, ticker.read());
 * long lastTenSeconds = counts.sum(0, ticker.read());
 * }</pre>
 */
public final class SlidingCounts {

    static final int BUCKETS = 10;
    private static final long NO_PERIOD = Long.MIN_VALUE;

    private final long bucketNanos;
    /** Which bucket period each bucket holds, {@code floorDiv(nanos, bucketNanos)}, or {@link #NO_PERIOD}. */
    private final long[] periods = new long[BUCKETS];
    /** {@code counts[bucket * counters + counter]}. */
    private final long[] counts;
    private final int counters;

    public SlidingCounts(Duration window, int counters) {
        Objects.requireNonNull(window, "window");
        if (window.toNanos() < BUCKETS) {
            throw new IllegalArgumentException("window: " + window + " (expected: >= " + BUCKETS + " ns)");
        }
        if (counters < 1) {
            throw new IllegalArgumentException("counters: " + counters + " (expected: >= 1)");
        }
        this.bucketNanos = window.toNanos() / BUCKETS;
        this.counters = counters;
        this.counts = new long[BUCKETS * counters];
        clear();
    }

    /** Adds {@code amount} to counter number {@code counter} at {@code nowNanos}. */
    public void add(int counter, long amount, long nowNanos) {
        long period = Math.floorDiv(nowNanos, bucketNanos);
        int bucket = (int) Math.floorMod(period, BUCKETS);
        if (periods[bucket] != period) {
            periods[bucket] = period;
            for (int c = 0; c < counters; c++) {
                counts[bucket * counters + c] = 0;
            }
        }
        counts[bucket * counters + counter] += amount;
    }

    /** The sum of counter number {@code counter} over the window ending at {@code nowNanos}. */
    public long sum(int counter, long nowNanos) {
        long period = Math.floorDiv(nowNanos, bucketNanos);
        long sum = 0;
        for (int bucket = 0; bucket < BUCKETS; bucket++) {
            long held = periods[bucket];
            if (held != NO_PERIOD && held <= period && period - held < BUCKETS) {
                sum += counts[bucket * counters + counter];
            }
        }
        return sum;
    }

    /** Forgets everything counted. */
    public void clear() {
        Arrays.fill(periods, NO_PERIOD);
        Arrays.fill(counts, 0);
    }
}
