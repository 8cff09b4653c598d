package io.infergate.emulator;

/** A Prometheus histogram of seconds with fixed upper bounds; {@link MetricsPage} renders it cumulatively. */
final class LatencyHistogram {

    private final double[] bounds;
    private final long[] counts;
    private double sum;
    private long count;

    LatencyHistogram(double... bounds) {
        this.bounds = bounds.clone();
        this.counts = new long[bounds.length];
    }

    void record(double seconds) {
        for (int i = 0; i < bounds.length; i++) {
            if (seconds <= bounds[i]) {
                counts[i]++;
                break;
            }
        }
        sum += seconds;
        count++;
    }

    double[] bounds() {
        return bounds.clone();
    }

    /** Observations in bucket {@code i} alone, not cumulative. */
    long countAt(int i) {
        return counts[i];
    }

    long count() {
        return count;
    }

    double sum() {
        return sum;
    }
}
