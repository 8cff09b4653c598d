package io.infergate.emulator;

/**
 * SGLang's {@code /metrics} page ({@code --enable-metrics}; names, help texts and default buckets of
 * its {@code SchedulerMetricsCollector} and {@code TokenizerMetricsCollector}), labelled
 * {@code model_name="<first model served>"}. {@code sglang:cache_hit_rate} is the hit rate since start.
 * {@code sglang:max_running_requests} is the profile's running-batch bound, the scheduler's
 * {@code --max-running-requests} that SGLang's pages exported as a gauge (the gateway learns the batch size from it).
 */
final class SglangMetrics extends MetricsDialect {

    private static final double[] TTFT_BUCKETS = {0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100,
            200, 400};
    private static final double[] E2E_BUCKETS = {0.1, 0.2, 0.4, 0.6, 0.8, 1, 2, 4, 6, 8, 10, 20, 40, 60, 80, 100,
            200, 400, 600, 1200, 1800, 2400};

    SglangMetrics() {
        super(TTFT_BUCKETS, E2E_BUCKETS);
    }

    @Override
    void render(MetricsPage page, ServerState state) {
        String labels = MetricsPage.label("model_name", state.model());
        page.gauge("sglang:max_running_requests", "Maximum running requests", labels, state.profile().maxNumSeqs())
                .gauge("sglang:num_running_reqs", "The number of running requests.", labels, state.engine().running())
                .gauge("sglang:num_used_tokens", "The number of used tokens.", labels, state.kvTokensUsed())
                .gauge("sglang:token_usage", "The token usage.", labels, state.engine().kvCacheUsage())
                .gauge("sglang:num_queue_reqs", "The number of requests in the waiting queue.", labels,
                        state.engine().waiting())
                .gauge("sglang:cache_hit_rate", "The prefix cache hit rate.", labels, state.prefixCacheHitRate())
                .counter("sglang:prompt_tokens_total", "Number of prefill tokens processed.", labels,
                        state.promptTokens())
                .counter("sglang:generation_tokens_total", "Number of generation tokens processed.", labels,
                        state.engine().generationTokens())
                .counter("sglang:cached_tokens_total", "Number of cached prompt tokens.", labels,
                        state.prefixCache().hitTokens())
                .counter("sglang:num_requests_total", "Number of requests processed.", labels, state.succeeded())
                .counter("sglang:num_aborted_requests_total", "Number of requests aborted.", labels,
                        state.requests().finished(RequestMetrics.ABORT))
                .histogram("sglang:time_to_first_token_seconds", "Histogram of time to first token in seconds.",
                        labels, state.requests().timeToFirstToken())
                .histogram("sglang:e2e_request_latency_seconds", "Histogram of End-to-end request latency in seconds",
                        labels, state.requests().endToEnd());
    }
}
