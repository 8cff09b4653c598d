package io.infergate.emulator;

/**
 * vLLM's {@code /metrics} page (V1 engine names, help texts and buckets), labelled
 * {@code model_name="<first model served>"}, so that scrapers written for vLLM read it unchanged.
 * {@code vllm:prompt_tokens_total} counts the prompt tokens prefilled and those found in the prefix cache.
 */
final class VllmMetrics extends MetricsDialect {

    private static final double[] TTFT_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5,
            0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0};
    private static final double[] E2E_BUCKETS = {0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0,
            40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0};

    VllmMetrics() {
        super(TTFT_BUCKETS, E2E_BUCKETS);
    }

    @Override
    void render(MetricsPage page, ServerState state) {
        String labels = MetricsPage.label("model_name", state.model());
        page.gauge("vllm:num_requests_running", "Number of requests in model execution batches.", labels,
                        state.engine().running())
                .gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.", labels,
                        state.engine().waiting())
                .gauge("vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", labels,
                        state.engine().kvCacheUsage())
                .gauge("vllm:gpu_cache_usage_perc",
                        "GPU KV-cache usage. 1 means 100 percent usage. Deprecated: use vllm:kv_cache_usage_perc.",
                        labels, state.engine().kvCacheUsage())
                .counter("vllm:prefix_cache_queries_total",
                        "Prefix cache queries, in terms of number of queried tokens.", labels,
                        state.prefixCache().queriedTokens())
                .counter("vllm:prefix_cache_hits_total", "Prefix cache hits, in terms of number of cached tokens.",
                        labels, state.prefixCache().hitTokens())
                .counter("vllm:prompt_tokens_total", "Number of prefill tokens processed.", labels,
                        state.promptTokens())
                .counter("vllm:generation_tokens_total", "Number of generation tokens processed.", labels,
                        state.engine().generationTokens())
                .family("vllm:request_success_total", "Count of successfully processed requests.", "counter");
        for (String reason : RequestMetrics.REASONS) {
            page.sample("vllm:request_success_total", MetricsPage.label("finished_reason", reason) + "," + labels,
                    (double) state.requests().finished(reason));
        }
        page.histogram("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", labels,
                        state.requests().timeToFirstToken())
                .histogram("vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", labels,
                        state.requests().endToEnd());
    }
}
