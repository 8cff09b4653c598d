package io.infergate.emulator;

/**
 * One inference server's metric names: what its {@code /metrics} page looks like. Each {@link Flavor}
 * has one, made for the model the page is labelled with.
 */
sealed interface MetricsDialect permits VllmMetrics, SglangMetrics, TgiMetrics, TritonMetrics {

    /** A request recorder with this server's histogram buckets. */
    RequestMetrics newRequestMetrics();

    void render(MetricsPage page, ServerState state);
}
