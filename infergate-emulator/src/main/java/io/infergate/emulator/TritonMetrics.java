package io.infergate.emulator;

/**
 * Triton Inference Server's metrics page with a model on its vLLM backend: Triton's per-model counters
 * and per-GPU gauges ({@code nv_*}), then the {@code vllm:*} families the backend adds (labels
 * {@code model} and {@code version="1"}). Triton's own queue ({@code nv_inference_pending_request_count})
 * stays at 0, as it does in front of the decoupled vLLM backend, which takes requests at once; the
 * engine's queue shows as {@code vllm:num_requests_waiting}.
 */
final class TritonMetrics extends MetricsDialect {

    TritonMetrics() {
        super(new double[0], new double[0]);
    }

    @Override
    void render(MetricsPage page, ServerState state) {
        String model = MetricsPage.label("model", state.model());
        String version = MetricsPage.label("version", "1");
        String labels = model + "," + version;
        String canceledLabels = model + "," + MetricsPage.label("reason", "CANCELED") + "," + version;
        long succeeded = state.succeeded();
        String gpu = MetricsPage.label("gpu_uuid", state.gpu().uuid());
        page.family("nv_inference_request_success", "Number of successful inference requests, all batch sizes", "counter")
                .sample("nv_inference_request_success", labels, succeeded)
                .family("nv_inference_request_failure", "Number of failed inference requests, all batch sizes", "counter")
                .sample("nv_inference_request_failure", canceledLabels, state.requests().finished(RequestMetrics.ABORT))
                .family("nv_inference_count", "Number of inferences performed (does not include cached requests)", "counter")
                .sample("nv_inference_count", labels, succeeded)
                .family("nv_inference_exec_count",
                        "Number of model executions performed (does not include cached requests)", "counter")
                .sample("nv_inference_exec_count", labels, succeeded)
                .family("nv_inference_request_duration_us",
                        "Cumulative inference request duration in microseconds (includes cached requests)", "counter")
                .sample("nv_inference_request_duration_us", labels, Math.round(state.requests().endToEnd().sum() * 1e6))
                .family("nv_inference_pending_request_count",
                        "Instantaneous number of pending requests awaiting execution per-model.", "gauge")
                .sample("nv_inference_pending_request_count", labels, 0L)
                .gauge("nv_gpu_utilization", "GPU utilization rate [0.0 - 1.0)", gpu, state.gpuUtilisation())
                .family("nv_gpu_memory_total_bytes", "GPU total memory, in bytes", "gauge")
                .sample("nv_gpu_memory_total_bytes", gpu, state.gpu().framebufferMiB() * EmulatedGpu.MIB)
                .family("nv_gpu_memory_used_bytes", "GPU used memory, in bytes", "gauge")
                .sample("nv_gpu_memory_used_bytes", gpu, state.gpu().framebufferUsedMiB() * EmulatedGpu.MIB)
                .counter("vllm:prompt_tokens_total", "Number of prefill tokens processed.", labels, state.promptTokens())
                .counter("vllm:generation_tokens_total", "Number of generation tokens processed.", labels,
                        state.engine().generationTokens())
                .gauge("vllm:num_requests_running", "Number of requests currently running on GPU.", labels,
                        state.engine().running())
                .gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.", labels,
                        state.engine().waiting())
                .gauge("vllm:gpu_cache_usage_perc", "GPU KV-cache usage. 1 means 100 percent usage.", labels,
                        state.engine().kvCacheUsage());
    }
}
