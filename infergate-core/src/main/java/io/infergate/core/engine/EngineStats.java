package io.infergate.core.engine;

/**
 * The figures an inference server exports about itself, as an {@link EngineModel} last computed them.
 * The counters only grow.
 *
 * @param waiting          requests queued, not yet admitted ({@code vllm:num_requests_waiting})
 * @param running          requests in the running batch ({@code vllm:num_requests_running})
 * @param kvCacheUsage     share of KV-cache tokens reserved, 0..1 ({@code vllm:kv_cache_usage_perc})
 * @param promptTokens     prompt tokens prefilled so far ({@code vllm:prompt_tokens_total})
 * @param generationTokens output tokens produced so far ({@code vllm:generation_tokens_total})
 * @param finishedRequests requests that ran to completion; aborted ones are not counted
 */
public record EngineStats(
        int waiting,
        int running,
        double kvCacheUsage,
        long promptTokens,
        long generationTokens,
        long finishedRequests) {
}
