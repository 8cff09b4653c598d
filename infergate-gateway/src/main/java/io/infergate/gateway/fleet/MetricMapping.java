package io.infergate.gateway.fleet;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import static io.infergate.gateway.fleet.MetricMapping.Source.counterRatio;
import static io.infergate.gateway.fleet.MetricMapping.Source.fraction;
import static io.infergate.gateway.fleet.MetricMapping.Source.mean;
import static io.infergate.gateway.fleet.MetricMapping.Source.sum;

/**
 * How one server type (or a GPU exporter) names its load figures. Mapping is data: supporting a new
 * server type is a new table entry in {@link #forServerType}, not new code. For each figure the first
 * listed source the page provides wins (vLLM renamed its KV-cache gauge; both names are listed). The
 * table is documented, with where each name comes from, in {@code docs/server-types.md}.
 *
 * <pre>{@code
 * MetricMapping vllm = MetricMapping.forServerType("vllm");
 * LoadFigures figures = vllm.read(PrometheusText.parse(body), previousScrape);
 * EndpointLoad load = figures.toLoad(inFlightNow, nowNanos, false, true, Lifecycle.READY);
 * }</pre>
 *
 * @param serverType the server type, as in the config's {@code pools[].type}, or {@code dcgm-exporter}
 * @param sources    for each figure, where to read it, in order of preference
 */
public record MetricMapping(String serverType, Map<LoadFigure, List<Source>> sources) {

    private static final double PERCENT = 0.01;
    private static final double MEBIBYTE = 1024 * 1024;

    /**
     * Where one figure comes from: a function of this scrape and the one before (for counters).
     * Reads NaN when the page lacks what it needs.
     */
    public sealed interface Source {

        double read(MetricSamples now, MetricSamples before);

        /** A count summed over label sets (models, engines, GPUs). */
        static Source sum(String metric) {
            return new Gauge(metric, Aggregation.SUM, 1);
        }

        static Source sum(String metric, double scale) {
            return new Gauge(metric, Aggregation.SUM, scale);
        }

        /** A ratio averaged over label sets (data-parallel engines, GPUs). */
        static Source mean(String metric) {
            return new Gauge(metric, Aggregation.MEAN, 1);
        }

        static Source mean(String metric, double scale) {
            return new Gauge(metric, Aggregation.MEAN, scale);
        }

        /** {@code part} over the sum of the {@code whole} metrics. */
        static Source fraction(String part, String... whole) {
            return new Fraction(part, List.of(whole));
        }

        static Source counterRatio(String numerator, String denominator) {
            return new CounterRatio(numerator, denominator);
        }
    }

    /** How a gauge's label sets combine. */
    public enum Aggregation { SUM, MEAN }

    /**
     * A gauge, combined over its label sets and multiplied by {@code scale} into the figure's unit
     * (0.01 for a percentage, 2^20 for MiB).
     */
    public record Gauge(String metric, Aggregation aggregation, double scale) implements Source {
        public Gauge {
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(aggregation, "aggregation");
        }

        @Override
        public double read(MetricSamples now, MetricSamples before) {
            double value = aggregation == Aggregation.SUM ? now.sum(metric) : now.mean(metric);
            return value * scale;
        }
    }

    /**
     * {@code part} over the sum of the {@code whole} metrics, each summed over label sets: memory used over
     * memory total ({@code whole} = [total]), or over used plus free ({@code whole} = [used, free]).
     */
    public record Fraction(String part, List<String> whole) implements Source {
        public Fraction {
            Objects.requireNonNull(part, "part");
            whole = List.copyOf(whole);
            if (whole.isEmpty()) {
                throw new IllegalArgumentException("whole: [] (expected: at least one metric)");
            }
        }

        @Override
        public double read(MetricSamples now, MetricSamples before) {
            double total = 0;
            for (String metric : whole) {
                total += now.sum(metric);
            }
            return total > 0 ? now.sum(part) / total : Double.NaN;
        }
    }

    /**
     * A ratio of two counters, e.g. prefix-cache hits over queries: their increase since the previous
     * scrape, so the figure follows recent traffic; the ratio of the totals when nothing was counted in
     * between (an idle server, the first scrape) or a counter went back (a restart).
     */
    public record CounterRatio(String numerator, String denominator) implements Source {
        public CounterRatio {
            Objects.requireNonNull(numerator, "numerator");
            Objects.requireNonNull(denominator, "denominator");
        }

        @Override
        public double read(MetricSamples now, MetricSamples before) {
            double top = now.sum(numerator);
            double bottom = now.sum(denominator);
            double topIncrease = top - before.sum(numerator);
            double bottomIncrease = bottom - before.sum(denominator);
            if (bottomIncrease > 0 && topIncrease >= 0) {
                return topIncrease / bottomIncrease;
            }
            return bottom > 0 ? top / bottom : Double.NaN;
        }
    }

    public MetricMapping {
        Objects.requireNonNull(serverType, "serverType");
        sources = sources.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    }

    /** A DCGM exporter in front of the endpoint's GPUs ({@code gpu_metrics_url}); not a pool type. */
    public static final MetricMapping DCGM_EXPORTER = new MetricMapping("dcgm-exporter", Map.of(
            LoadFigure.GPU_UTILISATION, List.of(mean("DCGM_FI_DEV_GPU_UTIL", PERCENT)),
            LoadFigure.GPU_MEMORY_BANDWIDTH, List.of(mean("DCGM_FI_PROF_DRAM_ACTIVE"),
                    mean("DCGM_FI_DEV_MEM_COPY_UTIL", PERCENT)),
            LoadFigure.GPU_FRAMEBUFFER_USED_BYTES, List.of(sum("DCGM_FI_DEV_FB_USED", MEBIBYTE)),
            LoadFigure.GPU_FRAMEBUFFER_USAGE, List.of(fraction("DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_FB_USED", "DCGM_FI_DEV_FB_FREE"))));

    private static final Map<String, MetricMapping> BY_SERVER_TYPE = Map.of(
            "vllm", new MetricMapping("vllm", Map.of(
                    LoadFigure.WAITING, List.of(sum("vllm:num_requests_waiting")),
                    LoadFigure.RUNNING, List.of(sum("vllm:num_requests_running")),
                    LoadFigure.KV_CACHE_USAGE, List.of(mean("vllm:kv_cache_usage_perc"),
                            mean("vllm:gpu_cache_usage_perc")),
                    LoadFigure.PREFIX_CACHE_HIT_RATE, List.of(
                            counterRatio("vllm:prefix_cache_hits_total", "vllm:prefix_cache_queries_total"),
                            counterRatio("vllm:gpu_prefix_cache_hits_total", "vllm:gpu_prefix_cache_queries_total"),
                            mean("vllm:gpu_prefix_cache_hit_rate")))),
            "sglang", new MetricMapping("sglang", Map.of(
                    LoadFigure.WAITING, List.of(sum("sglang:num_queue_reqs")),
                    LoadFigure.RUNNING, List.of(sum("sglang:num_running_reqs")),
                    LoadFigure.KV_CACHE_USAGE, List.of(mean("sglang:token_usage")),
                    // Older SGLang pages: the scheduler's --max-running-requests (summed over data-parallel engines).
                    LoadFigure.BATCH_LIMIT, List.of(sum("sglang:max_running_requests")),
                    LoadFigure.PREFIX_CACHE_HIT_RATE, List.of(mean("sglang:cache_hit_rate"),
                            counterRatio("sglang:cached_tokens_total", "sglang:prompt_tokens_total")))),
            "tgi", new MetricMapping("tgi", Map.of(
                    LoadFigure.WAITING, List.of(sum("tgi_queue_size")),
                    LoadFigure.RUNNING, List.of(sum("tgi_batch_current_size")))),
            // Triton's own figures, and those its vLLM backend adds to the same page.
            "triton", new MetricMapping("triton", Map.of(
                    LoadFigure.WAITING, List.of(sum("vllm:num_requests_waiting"),
                            sum("nv_inference_pending_request_count")),
                    LoadFigure.RUNNING, List.of(sum("vllm:num_requests_running")),
                    LoadFigure.KV_CACHE_USAGE, List.of(mean("vllm:gpu_cache_usage_perc"),
                            mean("vllm:kv_cache_usage_perc")),
                    LoadFigure.GPU_UTILISATION, List.of(mean("nv_gpu_utilization")),
                    LoadFigure.GPU_FRAMEBUFFER_USED_BYTES, List.of(sum("nv_gpu_memory_used_bytes")),
                    LoadFigure.GPU_FRAMEBUFFER_USAGE, List.of(
                            fraction("nv_gpu_memory_used_bytes", "nv_gpu_memory_total_bytes")))),
            "ollama", new MetricMapping("ollama", Map.of()),
            "openai", new MetricMapping("openai", Map.of()));

    /** The mapping of a known server type; unknown types are rejected when the config is loaded. */
    public static MetricMapping forServerType(String serverType) {
        MetricMapping mapping = BY_SERVER_TYPE.get(serverType);
        if (mapping == null) {
            throw new IllegalArgumentException(
                    "server type: " + serverType + " (expected one of " + BY_SERVER_TYPE.keySet() + ")");
        }
        return mapping;
    }

    /** False for servers that export no load metrics; the gateway then routes on its own counters. */
    public boolean scrapes() {
        return !sources.isEmpty();
    }

    /**
     * The figures this mapping finds in a scrape; {@code before} is the previous scrape of the same page
     * ({@link MetricSamples#NONE} for the first), which counter ratios need.
     */
    public LoadFigures read(MetricSamples now, MetricSamples before) {
        Map<LoadFigure, Double> found = new EnumMap<>(LoadFigure.class);
        sources.forEach((figure, candidates) -> {
            for (Source source : candidates) {
                double value = source.read(now, before);
                if (!Double.isNaN(value)) {
                    found.put(figure, value);
                    return;
                }
            }
        });
        return LoadFigures.of(found);
    }
}
