package io.infergate.loadgen.bench;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One histogram read from the gateway's Prometheus text page: its cumulative bucket counts by upper bound
 * ({@code le}), summed over every series that shares a value of the grouping label (e.g. over endpoints,
 * per kind). Reads the lines Micrometer's Prometheus registry writes, labels in any order:
 * {@code NAME_bucket{kind="ttft",endpoint="a100-1",le="0.05"} 12}.
 *
 * <pre>{@code
 * Map<String, HistogramBuckets> byKind = HistogramBuckets.read(metrics, "infergate_prediction_error_percent", "kind");
 * OptionalDouble median = byKind.get("ttft").quantile(0.5);
 * }</pre>
 *
 * @param cumulative observations at or below each upper bound, in increasing order, {@code +Inf} last
 */
record HistogramBuckets(NavigableMap<Double, Double> cumulative) {

    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    HistogramBuckets {
        cumulative = Collections.unmodifiableNavigableMap(new TreeMap<>(cumulative));
    }

    /**
     * The buckets of {@code histogram} (its name without {@code _bucket}) in {@code metrics}, by the value
     * of {@code groupLabel}; series without that label are left out. Empty when the page has none.
     */
    static Map<String, HistogramBuckets> read(String metrics, String histogram, String groupLabel) {
        Pattern bucket = Pattern.compile("^" + Pattern.quote(histogram + "_bucket") + "\\{(.*)} (\\S+)$", Pattern.MULTILINE);
        Map<String, TreeMap<Double, Double>> groups = new HashMap<>();
        Matcher line = bucket.matcher(metrics);
        while (line.find()) {
            Map<String, String> labels = labels(line.group(1));
            String group = labels.get(groupLabel);
            String le = labels.get("le");
            if (group != null && le != null) {
                double bound = le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le);
                groups.computeIfAbsent(group, g -> new TreeMap<>()).merge(bound, Double.parseDouble(line.group(2)), Double::sum);
            }
        }
        Map<String, HistogramBuckets> histograms = new HashMap<>();
        groups.forEach((group, buckets) -> histograms.put(group, new HistogramBuckets(buckets)));
        return Map.copyOf(histograms);
    }

    /** How many observations there are: the {@code +Inf} bucket's count. */
    double count() {
        return cumulative.isEmpty() ? 0 : cumulative.lastEntry().getValue();
    }

    /** The smallest upper bound with at least a share {@code q} of the observations at or below it; empty without observations. */
    OptionalDouble upperBoundOf(double q) {
        double count = count();
        return cumulative.entrySet().stream().filter(b -> count > 0 && b.getValue() >= q * count)
                .mapToDouble(Map.Entry::getKey).findFirst();
    }

    /**
     * The {@code q}-quantile as Prometheus's {@code histogram_quantile} estimates it: linearly within the
     * bucket that holds it, from the bucket below's upper bound (0 below the first); in the {@code +Inf}
     * bucket, the largest finite bound. Empty without observations.
     */
    OptionalDouble quantile(double q) {
        double count = count();
        if (count <= 0) {
            return OptionalDouble.empty();
        }
        double rank = q * count;
        double lower = 0;
        double below = 0;
        for (Map.Entry<Double, Double> b : cumulative.entrySet()) {
            if (b.getValue() >= rank) {
                if (b.getKey() == Double.POSITIVE_INFINITY) {
                    return OptionalDouble.of(lower);
                }
                double inBucket = b.getValue() - below;
                return OptionalDouble.of(lower + (b.getKey() - lower) * (inBucket > 0 ? (rank - below) / inBucket : 1));
            }
            lower = b.getKey();
            below = b.getValue();
        }
        return OptionalDouble.of(lower);
    }

    /**
     * The share of observations at or below {@code x}, interpolated within its bucket as {@link #quantile}
     * does (exact when {@code x} is a bucket bound); empty without observations.
     */
    OptionalDouble shareAtMost(double x) {
        double count = count();
        if (count <= 0) {
            return OptionalDouble.empty();
        }
        double lower = 0;
        double below = 0;
        for (Map.Entry<Double, Double> b : cumulative.entrySet()) {
            if (x <= b.getKey()) {
                if (b.getKey() == Double.POSITIVE_INFINITY) {
                    break;
                }
                double within = x <= lower ? 0 : (x - lower) / (b.getKey() - lower);
                return OptionalDouble.of((below + (b.getValue() - below) * within) / count);
            }
            lower = b.getKey();
            below = b.getValue();
        }
        return OptionalDouble.of(below / count);
    }

    private static Map<String, String> labels(String text) {
        Map<String, String> labels = new HashMap<>();
        Matcher label = LABEL.matcher(text);
        while (label.find()) {
            labels.put(label.group(1), label.group(2));
        }
        return labels;
    }
}
