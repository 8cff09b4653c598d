package io.infergate.emulator;

import io.infergate.core.engine.EngineStats;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code /metrics} page of an emulated server, in Prometheus text format with vLLM's own metric
 * names, help texts and histogram buckets, so that scrapers written for vLLM read it unchanged.
 * Latencies are wall-clock, as clients see them. Used from the server's event loop only.
 */
final class VllmMetrics {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final double[] TTFT_BUCKETS = {0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5,
            0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0};
    private static final double[] E2E_BUCKETS = {0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0,
            40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 7680.0};

    private final String modelLabel;
    private final Histogram timeToFirstToken = new Histogram(TTFT_BUCKETS);
    private final Histogram endToEnd = new Histogram(E2E_BUCKETS);
    private final Map<String, Long> finishedByReason = new LinkedHashMap<>();

    VllmMetrics(String modelName) {
        this.modelLabel = "model_name=\"" + modelName.replace("\\", "\\\\").replace("\"", "\\\"")
                .replace("\n", "\\n") + "\"";
        for (String reason : new String[] {"stop", "length", "abort"}) {
            finishedByReason.put(reason, 0L);
        }
    }

    void firstToken(long nanosSinceArrival) {
        timeToFirstToken.record(nanosSinceArrival / 1e9);
    }

    /** A request left the engine; {@code reason} is {@code stop}, {@code length} or {@code abort}. */
    void finished(long nanosSinceArrival, String reason) {
        endToEnd.record(nanosSinceArrival / 1e9);
        finishedByReason.merge(reason, 1L, Long::sum);
    }

    /** A request was dropped before it finished, e.g. because its client went away. */
    void aborted() {
        finishedByReason.merge("abort", 1L, Long::sum);
    }

    String render(EngineStats stats) {
        StringBuilder out = new StringBuilder(4096);
        gauge(out, "vllm:num_requests_running", "Number of requests in model execution batches.", stats.running());
        gauge(out, "vllm:num_requests_waiting", "Number of requests waiting to be processed.", stats.waiting());
        gauge(out, "vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", stats.kvCacheUsage());
        gauge(out, "vllm:gpu_cache_usage_perc",
                "GPU KV-cache usage. 1 means 100 percent usage. Deprecated: use vllm:kv_cache_usage_perc.",
                stats.kvCacheUsage());
        counter(out, "vllm:prompt_tokens_total", "Number of prefill tokens processed.", stats.promptTokens());
        counter(out, "vllm:generation_tokens_total", "Number of generation tokens processed.",
                stats.generationTokens());
        header(out, "vllm:request_success_total", "Count of successfully processed requests.", "counter");
        finishedByReason.forEach((reason, count) -> out.append("vllm:request_success_total{finished_reason=\"")
                .append(reason).append("\",").append(modelLabel).append("} ").append((double) count).append('\n'));
        timeToFirstToken.render(out, "vllm:time_to_first_token_seconds",
                "Histogram of time to first token in seconds.", modelLabel);
        endToEnd.render(out, "vllm:e2e_request_latency_seconds",
                "Histogram of e2e request latency in seconds.", modelLabel);
        return out.toString();
    }

    private void gauge(StringBuilder out, String name, String help, double value) {
        header(out, name, help, "gauge");
        sample(out, name, modelLabel, value);
    }

    private void counter(StringBuilder out, String name, String help, long value) {
        header(out, name, help, "counter");
        sample(out, name, modelLabel, value);
    }

    private static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }

    /** A cumulative Prometheus histogram with fixed upper bounds. */
    private static final class Histogram {
        private final double[] bounds;
        private final long[] counts;
        private double sum;
        private long count;

        Histogram(double[] bounds) {
            this.bounds = bounds;
            this.counts = new long[bounds.length];
        }

        void record(double value) {
            for (int i = 0; i < bounds.length; i++) {
                if (value <= bounds[i]) {
                    counts[i]++;
                    break;
                }
            }
            sum += value;
            count++;
        }

        void render(StringBuilder out, String name, String help, String labels) {
            header(out, name, help, "histogram");
            long cumulative = 0;
            for (int i = 0; i < bounds.length; i++) {
                cumulative += counts[i];
                sample(out, name + "_bucket", "le=\"" + BigDecimal.valueOf(bounds[i]).toPlainString() + "\","
                        + labels, cumulative);
            }
            sample(out, name + "_bucket", "le=\"+Inf\"," + labels, count);
            sample(out, name + "_count", labels, count);
            sample(out, name + "_sum", labels, sum);
        }
    }
}
