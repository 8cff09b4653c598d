package io.infergate.core.health;

import io.infergate.core.time.SlidingCounts;

import java.time.Duration;

/**
 * One endpoint's request outcomes over a sliding window: requests, failures and latency samples.
 * Not thread-safe: {@link OutlierDetector} guards it.
 */
final class OutcomeWindow {

    private static final int REQUESTS = 0;
    private static final int FAILURES = 1;
    private static final int LATENCY_SAMPLES = 2;
    private static final int LATENCY_SUM_NANOS = 3;

    private final SlidingCounts counts;

    OutcomeWindow(long windowNanos) {
        this.counts = new SlidingCounts(Duration.ofNanos(windowNanos), 4);
    }

    /** A success; {@code latencyNanos} is a sample unless negative. */
    void success(long latencyNanos, long nowNanos) {
        counts.add(REQUESTS, 1, nowNanos);
        if (latencyNanos >= 0) {
            counts.add(LATENCY_SAMPLES, 1, nowNanos);
            counts.add(LATENCY_SUM_NANOS, latencyNanos, nowNanos);
        }
    }

    void failure(long nowNanos) {
        counts.add(REQUESTS, 1, nowNanos);
        counts.add(FAILURES, 1, nowNanos);
    }

    int requests(long nowNanos) {
        return (int) counts.sum(REQUESTS, nowNanos);
    }

    int failures(long nowNanos) {
        return (int) counts.sum(FAILURES, nowNanos);
    }

    int latencySamples(long nowNanos) {
        return (int) counts.sum(LATENCY_SAMPLES, nowNanos);
    }

    /** Mean of the window's latency samples, or -1 when there are none. */
    double meanLatencyNanos(long nowNanos) {
        long samples = counts.sum(LATENCY_SAMPLES, nowNanos);
        return samples == 0 ? -1 : (double) counts.sum(LATENCY_SUM_NANOS, nowNanos) / samples;
    }

    /** Forgets every outcome: a re-admitted endpoint starts afresh. */
    void clear() {
        counts.clear();
    }
}
