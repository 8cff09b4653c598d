package io.infergate.loadgen.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What infergate's own metrics say about flow control after a run, by priority class: the p99 of the
 * time requests waited in its queues, given as the upper bound of the histogram bucket that holds it,
 * and how many requests it turned away (shed, rejected, or lost while queued).
 *
 * <pre>{@code
 * GatewayFlowFigures flow = GatewayFlowFigures.parse(prometheusText);
 * double criticalWaitP99AtMost = flow.queueWaitP99AtMostMs().get("critical");
 * }</pre>
 *
 * @param queueWaitP99AtMostMs per class with dispatched requests, the queue wait p99 is at most this
 * @param rejected             per class with rejections, how many
 */
public record GatewayFlowFigures(Map<String, Double> queueWaitP99AtMostMs, Map<String, Long> rejected) {

    private static final Pattern WAIT_BUCKET = Pattern.compile(
            "^infergate_flow_queue_wait_seconds_bucket\\{class=\"([^\"]+)\",le=\"([^\"]+)\"} (\\S+)$", Pattern.MULTILINE);
    private static final Pattern REJECTED = Pattern.compile(
            "^infergate_flow_rejected_total\\{class=\"([^\"]+)\",reason=\"[^\"]+\"} (\\S+)$", Pattern.MULTILINE);

    public GatewayFlowFigures {
        queueWaitP99AtMostMs = Map.copyOf(queueWaitP99AtMostMs);
        rejected = Map.copyOf(rejected);
    }

    /** Reads the figures from the gateway's Prometheus text exposition. */
    public static GatewayFlowFigures parse(String metrics) {
        Map<String, TreeMap<Double, Double>> buckets = new TreeMap<>();
        Matcher wait = WAIT_BUCKET.matcher(metrics);
        while (wait.find()) {
            double le = wait.group(2).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(wait.group(2));
            buckets.computeIfAbsent(wait.group(1), c -> new TreeMap<>()).put(le, Double.parseDouble(wait.group(3)));
        }
        Map<String, Double> p99 = new TreeMap<>();
        buckets.forEach((priorityClass, cumulative) -> {
            double count = cumulative.lastEntry().getValue();
            cumulative.entrySet().stream().filter(b -> count > 0 && b.getValue() >= 0.99 * count).findFirst()
                    .ifPresent(b -> p99.put(priorityClass, b.getKey() * 1000));
        });
        Map<String, Long> rejected = new TreeMap<>();
        Matcher rejection = REJECTED.matcher(metrics);
        while (rejection.find()) {
            rejected.merge(rejection.group(1), (long) Double.parseDouble(rejection.group(2)), Long::sum);
        }
        return new GatewayFlowFigures(p99, rejected);
    }
}
