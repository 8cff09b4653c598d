package io.infergate.loadgen.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A load report as a terminal table: one row per class and one for all classes together.
 *
 * <pre>{@code
 * System.out.print(LoadReportTable.render(report));
 * }</pre>
 */
public final class LoadReportTable {

    private static final List<String> HEADER = List.of("class", "sent", "ok", "errors", "dropped", "ok/s",
            "good/s", "ttft p50", "ttft p99", "lat p50", "lat p99", "itl p50", "itl p99");

    private LoadReportTable() {
    }

    public static String render(LoadReport report) {
        List<List<String>> rows = new ArrayList<>();
        for (ClassReport c : report.classes()) {
            rows.add(row(c));
        }
        if (report.classes().size() > 1) {
            rows.add(row(report.overall()));
        }
        StringBuilder out = new StringBuilder();
        out.append("scenario ").append(report.scenario()).append(" → ").append(String.join(", ", report.targets()))
                .append("\narrival ").append(report.arrival())
                .append(String.format(Locale.ROOT, "; offered %.1f req/s over %.1f s, run %.1f s; send lag p99 %.2f ms%n",
                        report.offeredRps(), report.sendSeconds(), report.elapsedSeconds(), report.sendLag().p99Ms()))
                .append("latencies in ms, from the intended send time\n")
                .append(TextTable.of(HEADER, rows));
        String errors = errorSummary(report.overall());
        if (!errors.isEmpty()) {
            out.append("errors: ").append(errors).append('\n');
        }
        return out.toString();
    }

    /** Non-zero error kinds, e.g. {@code http_5xx 12, timeout 3}; empty when there were none. */
    public static String errorSummary(ClassReport c) {
        List<String> parts = new ArrayList<>();
        c.errorsByKind().forEach((kind, count) -> {
            if (count > 0) {
                parts.add(kind + " " + count);
            }
        });
        return String.join(", ", parts);
    }

    private static List<String> row(ClassReport c) {
        return List.of(c.name(), String.valueOf(c.requests()), String.valueOf(c.ok()), String.valueOf(c.errors()),
                String.valueOf(c.droppedByClient()), TextTable.num(c.throughputRps(), 1), TextTable.num(c.goodputRps(), 1),
                TextTable.num(c.ttft().p50Ms(), 1), TextTable.num(c.ttft().p99Ms(), 1),
                TextTable.num(c.latency().p50Ms(), 1), TextTable.num(c.latency().p99Ms(), 1),
                TextTable.num(c.itl().p50Ms(), 1), TextTable.num(c.itl().p99Ms(), 1));
    }
}
