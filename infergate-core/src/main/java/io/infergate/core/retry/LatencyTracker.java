package io.infergate.core.retry;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

import java.time.Duration;
import java.util.Objects;

/**
 * A recent percentile of one pool's first-byte latency, for hedging: requests record into an
 * HdrHistogram {@link Recorder} (wait-free), and every {@code interval} the interval's histogram is
 * folded into a pending one; once that holds {@code minSamples} samples, its percentile is published
 * and it starts over. Reading the figure is a volatile read. A quiet pool thus keeps its last figure
 * until enough new samples arrive.
 *
 * <pre>{@code
 * LatencyTracker poolLatency = LatencyTracker.builder().percentile(95).build();   // one per pool
 * poolLatency.record(firstByteNanos, now);          // every attempt that got its response head
 * long p95 = poolLatency.percentileNanos(now);       // -1 until the first figure
 * }</pre>
 *
 * <p>Safe from any thread. Time comes from the caller (a {@link io.infergate.core.time.Ticker});
 * the Recorder stamps its interval histograms with the wall clock, which nothing here reads.
 */
public final class LatencyTracker {

    private static final long NANOS_PER_MICRO = 1_000;

    private final double percentile;
    private final long intervalNanos;
    private final int minSamples;
    private final Recorder recorder = new Recorder(2);
    /** Guarded by {@code this}, like the rotation. */
    private final Histogram pending = new Histogram(2);
    private Histogram recycled;
    private volatile long intervalStartNanos;
    private volatile boolean started;
    private volatile long published = -1;

    private LatencyTracker(Builder builder) {
        this.percentile = builder.percentile;
        this.intervalNanos = builder.interval.toNanos();
        this.minSamples = builder.minSamples;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Records one latency, in nanoseconds; negative values are ignored. */
    public void record(long latencyNanos, long nowNanos) {
        if (latencyNanos >= 0) {
            recorder.recordValue(latencyNanos / NANOS_PER_MICRO);
        }
        rotateIfDue(nowNanos);
    }

    /** The configured percentile of the latest interval(s) with enough samples, in nanoseconds; -1 until then. */
    public long percentileNanos(long nowNanos) {
        rotateIfDue(nowNanos);
        return published;
    }

    private void rotateIfDue(long nowNanos) {
        if (started && nowNanos - intervalStartNanos < intervalNanos) {
            return;
        }
        synchronized (this) {
            if (!started) {
                started = true;
                intervalStartNanos = nowNanos;
                return;
            }
            if (nowNanos - intervalStartNanos < intervalNanos) {
                return;
            }
            intervalStartNanos = nowNanos;
            recycled = recorder.getIntervalHistogram(recycled);
            pending.add(recycled);
            if (pending.getTotalCount() >= minSamples) {
                published = pending.getValueAtPercentile(percentile) * NANOS_PER_MICRO;
                pending.reset();
            }
        }
    }

    /** Configures a {@link LatencyTracker}; defaults: the 95th percentile, 5 s intervals, 50 samples. */
    public static final class Builder {
        private double percentile = 95;
        private Duration interval = Duration.ofSeconds(5);
        private int minSamples = 50;

        private Builder() {
        }

        /** The percentile published, (0, 100]; default 95. */
        public Builder percentile(double percentile) {
            if (!(percentile > 0 && percentile <= 100)) {
                throw new IllegalArgumentException("percentile: " + percentile + " (expected: > 0 and <= 100)");
            }
            this.percentile = percentile;
            return this;
        }

        /** How often the figure may change; default 5 s. */
        public Builder interval(Duration interval) {
            Objects.requireNonNull(interval, "interval");
            if (interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
            }
            this.interval = interval;
            return this;
        }

        /** Samples a figure is computed from at least; default 50. */
        public Builder minSamples(int minSamples) {
            if (minSamples < 1) {
                throw new IllegalArgumentException("minSamples: " + minSamples + " (expected: >= 1)");
            }
            this.minSamples = minSamples;
            return this;
        }

        public LatencyTracker build() {
            return new LatencyTracker(this);
        }
    }
}
