package io.infergate.gateway.fleet;

import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.Lifecycle;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How one server type names its load figures. Mapping is data: supporting a new server type is a new
 * table entry in {@link #forServerType}, not new code. For each figure the first listed metric the
 * server exports wins (vLLM renamed its KV-cache gauge; both names are listed).
 *
 * <pre>{@code
 * MetricMapping vllm = MetricMapping.forServerType("vllm");
 * EndpointLoad load = vllm.toLoad(PrometheusText.sumByName(body), inFlightNow, nowNanos, Lifecycle.READY);
 * }</pre>
 *
 * @param serverType the server type, as in the config's {@code pools[].type}
 * @param sources    for each figure, the metrics to read it from, in order of preference
 */
public record MetricMapping(String serverType, Map<LoadFigure, List<Source>> sources) {

    /**
     * One metric that carries a figure.
     *
     * @param metric the metric name as the server exports it
     * @param scale  multiplier to the core's unit (0..1 ratios; 0.01 for a percentage)
     */
    public record Source(String metric, double scale) {
        public Source {
            Objects.requireNonNull(metric, "metric");
        }
    }

    public MetricMapping {
        Objects.requireNonNull(serverType, "serverType");
        sources = Map.copyOf(sources);
    }

    private static final Map<String, MetricMapping> BY_SERVER_TYPE = Map.of(
            "vllm", new MetricMapping("vllm", Map.of(
                    LoadFigure.WAITING, List.of(new Source("vllm:num_requests_waiting", 1)),
                    LoadFigure.RUNNING, List.of(new Source("vllm:num_requests_running", 1)),
                    LoadFigure.KV_CACHE_USAGE, List.of(new Source("vllm:kv_cache_usage_perc", 1),
                            new Source("vllm:gpu_cache_usage_perc", 1)))),
            "sglang", new MetricMapping("sglang", Map.of(
                    LoadFigure.WAITING, List.of(new Source("sglang:num_queue_reqs", 1)),
                    LoadFigure.RUNNING, List.of(new Source("sglang:num_running_reqs", 1)),
                    LoadFigure.KV_CACHE_USAGE, List.of(new Source("sglang:token_usage", 1)))),
            "tgi", new MetricMapping("tgi", Map.of(
                    LoadFigure.WAITING, List.of(new Source("tgi_queue_size", 1)),
                    LoadFigure.RUNNING, List.of(new Source("tgi_batch_current_size", 1)))),
            "triton", new MetricMapping("triton", Map.of(
                    LoadFigure.WAITING, List.of(new Source("nv_inference_pending_request_count", 1)),
                    LoadFigure.GPU_UTILISATION, List.of(new Source("nv_gpu_utilization", 1)))),
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

    /** The figures this mapping finds in a scrape; figures not exported stay unknown (-1 or NaN). */
    public EndpointLoad toLoad(Map<String, Double> totals, int inFlightNow, long nowNanos, Lifecycle lifecycle) {
        Map<LoadFigure, Double> found = new EnumMap<>(LoadFigure.class);
        sources.forEach((figure, candidates) -> {
            for (Source source : candidates) {
                Double value = totals.get(source.metric());
                if (value != null) {
                    found.put(figure, value * source.scale());
                    return;
                }
            }
        });
        return new EndpointLoad(
                count(found.get(LoadFigure.WAITING)),
                count(found.get(LoadFigure.RUNNING)),
                found.getOrDefault(LoadFigure.KV_CACHE_USAGE, Double.NaN),
                found.getOrDefault(LoadFigure.PREFIX_CACHE_HIT_RATE, Double.NaN),
                found.getOrDefault(LoadFigure.GPU_UTILISATION, Double.NaN),
                inFlightNow, nowNanos, false, true, lifecycle);
    }

    private static int count(Double value) {
        return value == null ? -1 : (int) Math.round(value);
    }
}
