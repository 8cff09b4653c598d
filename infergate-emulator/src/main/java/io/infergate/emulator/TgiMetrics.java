package io.infergate.emulator;

/**
 * Text Generation Inference's {@code /metrics} page: the router's names, written the way the
 * {@code metrics-exporter-prometheus} crate writes them (TYPE lines without HELP, no model label, whole
 * numbers without a decimal point), with the router's duration buckets (0.00015 s, × 1.5, 35 of them).
 * {@code tgi_request_count} counts requests that arrived: those done plus those in the engine.
 */
final class TgiMetrics extends MetricsDialect {

    private static final double[] DURATION_BUCKETS = durationBuckets();

    TgiMetrics() {
        super(DURATION_BUCKETS, DURATION_BUCKETS);
    }

    @Override
    void render(MetricsPage page, ServerState state) {
        long inEngine = state.engine().waiting() + state.engine().running();
        long done = state.succeeded() + state.requests().finished(RequestMetrics.ABORT);
        page.family("tgi_request_count", null, "counter").sample("tgi_request_count", "", done + inEngine)
                .family("tgi_request_success", null, "counter").sample("tgi_request_success", "", state.succeeded())
                .family("tgi_queue_size", null, "gauge").sample("tgi_queue_size", "", state.engine().waiting())
                .family("tgi_batch_current_size", null, "gauge")
                .sample("tgi_batch_current_size", "", state.engine().running())
                .family("tgi_batch_current_max_tokens", null, "gauge")
                .sample("tgi_batch_current_max_tokens", "", state.kvTokensUsed())
                .histogramWithIntegerCounts("tgi_request_duration", null, "", state.requests().endToEnd());
    }

    private static double[] durationBuckets() {
        double[] bounds = new double[35];
        double bound = 0.0001;
        for (int i = 0; i < bounds.length; i++) {
            bound *= 1.5;
            bounds[i] = bound;
        }
        return bounds;
    }
}
