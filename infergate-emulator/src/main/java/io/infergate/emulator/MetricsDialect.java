package io.infergate.emulator;

/**
 * One inference server's metric names: what its {@code /metrics} page looks like, and the buckets of
 * its latency histograms. Each {@link Flavor} has one; it keeps no state, the figures come with each
 * {@link ServerState}.
 */
abstract sealed class MetricsDialect permits VllmMetrics, SglangMetrics, TgiMetrics, TritonMetrics {

    private final double[] timeToFirstTokenBuckets;
    private final double[] endToEndBuckets;

    /** Bounds of the two latency histograms, in seconds; empty for a page that has no such histogram. */
    MetricsDialect(double[] timeToFirstTokenBuckets, double[] endToEndBuckets) {
        this.timeToFirstTokenBuckets = timeToFirstTokenBuckets.clone();
        this.endToEndBuckets = endToEndBuckets.clone();
    }

    /** A request recorder with this server's histogram buckets. */
    final RequestMetrics newRequestMetrics() {
        return new RequestMetrics(timeToFirstTokenBuckets, endToEndBuckets);
    }

    abstract void render(MetricsPage page, ServerState state);
}
