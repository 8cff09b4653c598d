package io.infergate.emulator;

import java.math.BigDecimal;

/**
 * Writes a page in the Prometheus text format (version 0.0.4): family headers and samples, in the
 * order given. Label sets are passed pre-rendered ({@code model_name="m"}), empty for none.
 */
final class MetricsPage {

    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(8192);

    /** A label set of one label, its value escaped. */
    static String label(String name, String value) {
        return name + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** {@code # HELP} (skipped when {@code help} is null, as exporters that describe nothing do) and {@code # TYPE}. */
    MetricsPage family(String name, String help, String type) {
        if (help != null) {
            out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        }
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    MetricsPage sample(String name, String labels, double value) {
        return sample(name, labels, Double.toString(value));
    }

    /** A sample written as an integer, as Go and Rust exporters print whole numbers. */
    MetricsPage sample(String name, String labels, long value) {
        return sample(name, labels, Long.toString(value));
    }

    private MetricsPage sample(String name, String labels, String value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{').append(labels).append('}');
        }
        out.append(' ').append(value).append('\n');
        return this;
    }

    MetricsPage gauge(String name, String help, String labels, double value) {
        return family(name, help, "gauge").sample(name, labels, value);
    }

    MetricsPage counter(String name, String help, String labels, double value) {
        return family(name, help, "counter").sample(name, labels, value);
    }

    /**
     * A histogram family: cumulative buckets, {@code +Inf}, count and sum; {@code le} goes first. Counts
     * are written as floats, as Python's prometheus_client writes them.
     */
    MetricsPage histogram(String name, String help, String labels, LatencyHistogram histogram) {
        return histogram(name, help, labels, histogram, false);
    }

    /** A histogram whose counts are written as integers, as Rust's metrics-exporter-prometheus writes them. */
    MetricsPage histogramWithIntegerCounts(String name, String help, String labels, LatencyHistogram histogram) {
        return histogram(name, help, labels, histogram, true);
    }

    private MetricsPage histogram(String name, String help, String labels, LatencyHistogram histogram,
                                  boolean integerCounts) {
        family(name, help, "histogram");
        String rest = labels.isEmpty() ? "" : "," + labels;
        long cumulative = 0;
        double[] bounds = histogram.bounds();
        for (int i = 0; i < bounds.length; i++) {
            cumulative += histogram.countAt(i);
            count(name + "_bucket", "le=\"" + BigDecimal.valueOf(bounds[i]).toPlainString() + "\"" + rest,
                    cumulative, integerCounts);
        }
        count(name + "_bucket", "le=\"+Inf\"" + rest, histogram.count(), integerCounts);
        count(name + "_count", labels, histogram.count(), integerCounts);
        return sample(name + "_sum", labels, histogram.sum());
    }

    private void count(String name, String labels, long value, boolean asInteger) {
        if (asInteger) {
            sample(name, labels, value);
        } else {
            sample(name, labels, (double) value);
        }
    }

    String text() {
        return out.toString();
    }
}
