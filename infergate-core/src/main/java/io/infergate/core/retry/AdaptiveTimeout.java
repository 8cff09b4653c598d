package io.infergate.core.retry;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.Objects;

/**
 * A per-try first-byte timeout that follows what requests are observed to need: {@code multiplier} times
 * the {@code percentile} of the first-byte latencies of the recent {@code window}, kept between
 * {@code floor} and {@code cap}; {@code cap} until the window holds {@code minSamples} of them. With the
 * defaults (4 × p99 of the last minute, 5 s to 60 s, 100 samples) a pool whose first bytes come within
 * 800 ms gives up on an attempt after 5 s, and one that queues for 10 s waits 40 s.
 *
 * <pre>{@code
 * AdaptiveTimeout timeout = AdaptiveTimeout.builder().build();   // one per pool and request shape
 * timeout.record(firstByteNanos, now);                           // every attempt that got its response head
 * long perTryNanos = timeout.timeoutNanos(now);                  // when an attempt is sent
 * }</pre>
 *
 * <p>The window is a ring of {@code buckets} HdrHistograms, each covering {@code window / buckets}; a
 * bucket older than the window is cleared when its turn comes again. The timeout is recomputed at most
 * once per {@code refresh}, so reading it costs a comparison. Attempts that time out record nothing (they
 * have no first byte); at four times the p99, that cuts off well under 1 % of what the pool really
 * needs, so the figure cannot spiral down. Time comes from the caller (a
 * {@link io.infergate.core.time.Ticker}). Safe from any thread: each call takes one short lock.
 */
public final class AdaptiveTimeout {

    private static final long NANOS_PER_MICRO = 1_000;

    private final double percentile;
    private final double multiplier;
    private final long floorNanos;
    private final long capNanos;
    private final long bucketNanos;
    private final int minSamples;
    private final long refreshNanos;
    private final Histogram[] buckets;
    /** The bucket number ({@code now / bucketNanos}) each slot of the ring holds. */
    private final long[] bucketNumbers;
    private final Histogram merged = new Histogram(2);
    private boolean computed;
    private long computedAtNanos;
    private long timeoutNanos;
    /** The percentile of the window, or -1 while it holds fewer than {@code minSamples}. */
    private long percentileNanos;

    private AdaptiveTimeout(Builder builder) {
        this.percentile = builder.percentile;
        this.multiplier = builder.multiplier;
        this.floorNanos = builder.floor.toNanos();
        this.capNanos = builder.cap.toNanos();
        this.bucketNanos = builder.window.toNanos() / builder.buckets;
        this.minSamples = builder.minSamples;
        this.refreshNanos = builder.refresh.toNanos();
        this.buckets = new Histogram[builder.buckets];
        this.bucketNumbers = new long[builder.buckets];
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new Histogram(2);
            bucketNumbers[i] = Long.MIN_VALUE;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Records one attempt's time from sending to its response head, in nanoseconds; negative values are ignored. */
    public synchronized void record(long firstByteNanos, long nowNanos) {
        if (firstByteNanos < 0) {
            return;
        }
        long number = Math.floorDiv(nowNanos, bucketNanos);
        int slot = (int) Math.floorMod(number, buckets.length);
        if (bucketNumbers[slot] != number) {
            buckets[slot].reset();
            bucketNumbers[slot] = number;
        }
        buckets[slot].recordValue(Math.max(1, firstByteNanos / NANOS_PER_MICRO));
    }

    /** How long an attempt sent now may wait for its response head, in nanoseconds. */
    public synchronized long timeoutNanos(long nowNanos) {
        refresh(nowNanos);
        return timeoutNanos;
    }

    /**
     * The {@code percentile} of the recent first bytes, in nanoseconds, or -1 while the window holds fewer
     * than {@code minSamples}: what the pool is observed to need, unscaled (stall detection scales it its own way).
     */
    public synchronized long percentileNanos(long nowNanos) {
        refresh(nowNanos);
        return percentileNanos;
    }

    private void refresh(long nowNanos) {
        if (computed && nowNanos - computedAtNanos < refreshNanos) {
            return;
        }
        long current = Math.floorDiv(nowNanos, bucketNanos);
        merged.reset();
        for (int i = 0; i < buckets.length; i++) {
            if (bucketNumbers[i] > current - buckets.length) {
                merged.add(buckets[i]);
            }
        }
        if (merged.getTotalCount() < minSamples) {
            percentileNanos = -1;
            timeoutNanos = capNanos;
        } else {
            percentileNanos = merged.getValueAtPercentile(percentile) * NANOS_PER_MICRO;
            timeoutNanos = (long) Math.min(capNanos, Math.max(floorNanos, multiplier * percentileNanos));
        }
        computed = true;
        computedAtNanos = nowNanos;
    }

    /**
     * Configures an {@link AdaptiveTimeout}; defaults: 4 × the 99th percentile of the last 60 s (6 buckets of
     * 10 s), at least 5 s, at most 60 s, 60 s until 100 samples, recomputed at most once a second.
     */
    public static final class Builder {
        private double percentile = 99;
        private double multiplier = 4;
        private Duration floor = Duration.ofSeconds(5);
        private Duration cap = Duration.ofSeconds(60);
        private Duration window = Duration.ofSeconds(60);
        private int buckets = 6;
        private int minSamples = 100;
        private Duration refresh = Duration.ofSeconds(1);

        private Builder() {
        }

        /** The percentile of the window the timeout is a multiple of, (0, 100]; default 99. */
        public Builder percentile(double percentile) {
            if (!(percentile > 0 && percentile <= 100)) {
                throw new IllegalArgumentException("percentile: " + percentile + " (expected: > 0 and <= 100)");
            }
            this.percentile = percentile;
            return this;
        }

        /** How many times the percentile an attempt may wait, at least 1; default 4. */
        public Builder multiplier(double multiplier) {
            if (!(multiplier >= 1)) {
                throw new IllegalArgumentException("multiplier: " + multiplier + " (expected: >= 1)");
            }
            this.multiplier = multiplier;
            return this;
        }

        /** The shortest timeout and the longest (also the one used until there are enough samples); default 5 s and 60 s. */
        public Builder bounds(Duration floor, Duration cap) {
            positive("floor", floor);
            positive("cap", cap);
            if (floor.compareTo(cap) > 0) {
                throw new IllegalArgumentException("floor: " + floor + ", cap: " + cap + " (expected: floor <= cap)");
            }
            this.floor = floor;
            this.cap = cap;
            return this;
        }

        /** The recent past the percentile is taken over, in {@code buckets} steps; default 60 s in 6. */
        public Builder window(Duration window, int buckets) {
            positive("window", window);
            if (buckets < 1 || window.toNanos() / buckets < 1) {
                throw new IllegalArgumentException("buckets: " + buckets + " (expected: >= 1 and at most a bucket per ns of "
                        + window + ")");
            }
            this.window = window;
            this.buckets = buckets;
            return this;
        }

        /** Samples the window must hold before the timeout adapts; default 100. */
        public Builder minSamples(int minSamples) {
            if (minSamples < 1) {
                throw new IllegalArgumentException("minSamples: " + minSamples + " (expected: >= 1)");
            }
            this.minSamples = minSamples;
            return this;
        }

        /** How long a computed timeout is used before it is computed again; default 1 s. */
        public Builder refresh(Duration refresh) {
            this.refresh = positive("refresh", refresh);
            return this;
        }

        public AdaptiveTimeout build() {
            return new AdaptiveTimeout(this);
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (!value.isPositive()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }
    }
}
