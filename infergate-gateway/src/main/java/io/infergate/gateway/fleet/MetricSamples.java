package io.infergate.gateway.fleet;

import java.util.Map;

/**
 * One scrape of a Prometheus page, reduced to what routing needs: for each metric name, the sum of its
 * samples over every label set and how many label sets there were. A server serving two models, or a
 * node with four GPUs, reports one series per model or GPU; counts add up, ratios are averaged.
 *
 * <pre>{@code
 * MetricSamples samples = PrometheusText.parse(body);
 * double waiting = samples.sum("vllm:num_requests_waiting");   // NaN when the page has no such metric
 * double gpu = samples.mean("DCGM_FI_DEV_GPU_UTIL");          // averaged over the node's GPUs
 * }</pre>
 */
public final class MetricSamples {

    /** A page with no samples: what a server without metrics, or a failed scrape, gives. */
    public static final MetricSamples NONE = new MetricSamples(Map.of());

    /** The samples of one metric name. */
    record Series(double sum, int count) {
        Series plus(double value) {
            return new Series(sum + value, count + 1);
        }
    }

    private final Map<String, Series> byName;

    MetricSamples(Map<String, Series> byName) {
        this.byName = Map.copyOf(byName);
    }

    public boolean contains(String metric) {
        return byName.containsKey(metric);
    }

    /** Sum over every label set of {@code metric}, or NaN when the page does not have it. */
    public double sum(String metric) {
        Series series = byName.get(metric);
        return series == null ? Double.NaN : series.sum();
    }

    /** Mean over every label set of {@code metric}, or NaN when the page does not have it. */
    public double mean(String metric) {
        Series series = byName.get(metric);
        return series == null ? Double.NaN : series.sum() / series.count();
    }

    /** How many label sets of {@code metric} the page has; 0 when none. */
    public int series(String metric) {
        Series series = byName.get(metric);
        return series == null ? 0 : series.count();
    }

    @Override
    public String toString() {
        return "MetricSamples" + byName;
    }
}
