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

    private static final String QUEUE_WAIT = "infergate_flow_queue_wait_seconds";
    private static final Pattern REJECTED = Pattern.compile(
            "^infergate_flow_rejected_total\\{class=\"([^\"]+)\",reason=\"[^\"]+\"} (\\S+)$", Pattern.MULTILINE);

    public GatewayFlowFigures {
        queueWaitP99AtMostMs = Map.copyOf(queueWaitP99AtMostMs);
        rejected = Map.copyOf(rejected);
    }

    /** Reads the figures from the gateway's Prometheus text exposition. */
    public static GatewayFlowFigures parse(String metrics) {
        Map<String, Double> p99 = new TreeMap<>();
        HistogramBuckets.read(metrics, QUEUE_WAIT, "class").forEach((priorityClass, wait) ->
                wait.upperBoundOf(0.99).ifPresent(seconds -> p99.put(priorityClass, seconds * 1000)));
        Map<String, Long> rejected = new TreeMap<>();
        Matcher rejection = REJECTED.matcher(metrics);
        while (rejection.find()) {
            rejected.merge(rejection.group(1), (long) Double.parseDouble(rejection.group(2)), Long::sum);
        }
        return new GatewayFlowFigures(p99, rejected);
    }
}
