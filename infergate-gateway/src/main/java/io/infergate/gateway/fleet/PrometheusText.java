package io.infergate.gateway.fleet;

import java.util.HashMap;
import java.util.Map;

/**
 * Reads the Prometheus text exposition format far enough to route on it: each sample's metric name and
 * value, gathered per name over label sets into {@link MetricSamples}. Comments, timestamps and
 * malformed lines are skipped; {@code NaN} samples (a gauge a server has not set yet) are skipped too.
 *
 * <pre>{@code
 * MetricSamples samples = PrometheusText.parse(body);
 * double waiting = samples.sum("vllm:num_requests_waiting");
 * }</pre>
 */
public final class PrometheusText {

    private PrometheusText() {
    }

    public static MetricSamples parse(CharSequence text) {
        Map<String, MetricSamples.Series> totals = new HashMap<>();
        int length = text.length();
        int lineStart = 0;
        while (lineStart < length) {
            int lineEnd = indexOf(text, '\n', lineStart, length);
            parseLine(text, lineStart, lineEnd, totals);
            lineStart = lineEnd + 1;
        }
        return new MetricSamples(totals);
    }

    private static void parseLine(CharSequence text, int start, int end, Map<String, MetricSamples.Series> totals) {
        while (start < end && Character.isWhitespace(text.charAt(start))) {
            start++;
        }
        if (start >= end || text.charAt(start) == '#') {
            return;
        }
        int nameEnd = start;
        while (nameEnd < end && !Character.isWhitespace(text.charAt(nameEnd)) && text.charAt(nameEnd) != '{') {
            nameEnd++;
        }
        int valueStart = nameEnd;
        if (valueStart < end && text.charAt(valueStart) == '{') {
            valueStart = closingBrace(text, valueStart, end) + 1;
            if (valueStart <= 0) {
                return;
            }
        }
        while (valueStart < end && Character.isWhitespace(text.charAt(valueStart))) {
            valueStart++;
        }
        int valueEnd = valueStart;
        while (valueEnd < end && !Character.isWhitespace(text.charAt(valueEnd))) {
            valueEnd++;
        }
        if (valueStart == valueEnd) {
            return;
        }
        double value;
        try {
            value = Double.parseDouble(text.subSequence(valueStart, valueEnd).toString());
        } catch (NumberFormatException e) {
            return;
        }
        if (Double.isNaN(value)) {
            return;
        }
        totals.merge(text.subSequence(start, nameEnd).toString(), new MetricSamples.Series(value, 1),
                (old, one) -> old.plus(value));
    }

    /** Index of the brace closing the label set opened at {@code open}, skipping quoted values; -1 if none. */
    private static int closingBrace(CharSequence text, int open, int end) {
        boolean quoted = false;
        for (int i = open + 1; i < end; i++) {
            char c = text.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == '}' && !quoted) {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(CharSequence text, char c, int from, int length) {
        for (int i = from; i < length; i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return length;
    }
}
