package io.infergate.loadgen.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * A load report as one self-contained HTML page: summary tables and inline-SVG charts of latency
 * percentiles per class ({@code #chart-ttft-percentiles}, {@code #chart-latency-percentiles}), latency
 * over time ({@code #chart-latency-over-time}) and throughput over time ({@code #chart-throughput-over-time}).
 *
 * <pre>{@code
 * Files.writeString(dir.resolve("report.html"), LoadReportHtml.render(report));
 * }</pre>
 */
public final class LoadReportHtml {

    private static final List<String> PERCENTILES = List.of("p50", "p90", "p99", "p99.9", "max");

    private LoadReportHtml() {
    }

    public static String render(LoadReport report) {
        StringBuilder body = new StringBuilder();
        body.append("<p class=\"meta\">scenario <b>").append(HtmlPage.escape(report.scenario())).append("</b> → ")
                .append(HtmlPage.escape(String.join(", ", report.targets()))).append("<br>arrival ")
                .append(HtmlPage.escape(report.arrival())).append("<br>")
                .append(String.format(Locale.ROOT, "started %s; offered %.1f req/s over %.1f s; run %.1f s; send lag p99 %.2f ms",
                        HtmlPage.escape(report.startedAt()), report.offeredRps(), report.sendSeconds(),
                        report.elapsedSeconds(), report.sendLag().p99Ms()))
                .append("</p>\n<p class=\"note\">Latencies are measured from each request's intended send time (open loop), in milliseconds. ")
                .append("TTFT: first content token; ITL: gap between tokens of a stream; good: answered within the class's SLO.</p>\n");
        body.append("<h2>Results by class</h2>\n").append(classTable(report));
        body.append("<h2>Latency percentiles per class</h2>\n");
        body.append(percentileChart("chart-ttft-percentiles", "Time to first token by percentile", report, ClassReport::ttft));
        body.append(percentileChart("chart-latency-percentiles", "End-to-end latency by percentile", report, ClassReport::latency));
        body.append("<h2>Over time</h2>\n");
        List<TimelinePoint> timeline = chartable(report.timeline());
        double[] seconds = column(timeline, TimelinePoint::second);
        body.append(new LineChart("chart-latency-over-time", "Latency over time (answers completed in each second)", "seconds", "ms")
                .series("latency p50", seconds, column(timeline, TimelinePoint::latencyP50Ms))
                .series("latency p99", seconds, column(timeline, TimelinePoint::latencyP99Ms))
                .series("ttft p50", seconds, column(timeline, TimelinePoint::ttftP50Ms))
                .series("ttft p99", seconds, column(timeline, TimelinePoint::ttftP99Ms))
                .render());
        body.append(new LineChart("chart-throughput-over-time", "Throughput over time", "seconds", "requests per second")
                .series("sent", seconds, perSecond(timeline, TimelinePoint::sent))
                .series("ok", seconds, perSecond(timeline, TimelinePoint::ok))
                .series("good (met SLO)", seconds, perSecond(timeline, TimelinePoint::good))
                .series("errors", seconds, perSecond(timeline, TimelinePoint::errors))
                .series("dropped", seconds, perSecond(timeline, TimelinePoint::dropped))
                .render());
        return HtmlPage.render("infergate load report: " + report.scenario(), body.toString());
    }

    private static String classTable(LoadReport report) {
        List<List<String>> rows = new ArrayList<>();
        List<ClassReport> classes = new ArrayList<>(report.classes());
        if (classes.size() > 1) {
            classes.add(report.overall());
        }
        for (ClassReport c : classes) {
            rows.add(List.of(c.name(), String.valueOf(c.requests()), String.valueOf(c.ok()), String.valueOf(c.errors()),
                    LoadReportTable.errorSummary(c), String.valueOf(c.droppedByClient()),
                    TextTable.num(c.throughputRps(), 2), TextTable.num(c.goodputRps(), 2),
                    TextTable.num(c.outputTokensPerSecond(), 1),
                    TextTable.num(c.ttft().p50Ms(), 1), TextTable.num(c.ttft().p99Ms(), 1),
                    TextTable.num(c.latency().p50Ms(), 1), TextTable.num(c.latency().p99Ms(), 1),
                    TextTable.num(c.itl().p50Ms(), 2), TextTable.num(c.itl().p99Ms(), 2)));
        }
        return HtmlPage.table(List.of("class", "sent", "ok", "errors", "error kinds", "dropped", "ok/s", "good/s",
                "tokens/s", "ttft p50", "ttft p99", "latency p50", "latency p99", "itl p50", "itl p99"), rows);
    }

    private static String percentileChart(String id, String title, LoadReport report,
                                          Function<ClassReport, Percentiles> metric) {
        LineChart chart = new LineChart(id, title, "percentile", "ms").categories(PERCENTILES);
        double[] xs = {0, 1, 2, 3, 4};
        for (ClassReport c : report.classes()) {
            Percentiles p = metric.apply(c);
            chart.series(c.name(), xs, new double[] {p.p50Ms(), p.p90Ms(), p.p99Ms(), p.p999Ms(), p.maxMs()});
        }
        return chart.render();
    }

    /** The timeline without a last interval shorter than a quarter second, whose rates and percentiles would be noise. */
    private static List<TimelinePoint> chartable(List<TimelinePoint> timeline) {
        int n = timeline.size();
        if (n >= 2 && timeline.get(n - 1).second() - timeline.get(n - 2).second() < 0.25) {
            return timeline.subList(0, n - 1);
        }
        return timeline;
    }

    private static double[] column(List<TimelinePoint> timeline, ToDoubleFunction<TimelinePoint> f) {
        return timeline.stream().mapToDouble(f).toArray();
    }

    /** Counts per interval divided by the interval's length (the last interval of a run is shorter). */
    private static double[] perSecond(List<TimelinePoint> timeline, ToDoubleFunction<TimelinePoint> count) {
        double[] out = new double[timeline.size()];
        double previous = 0;
        for (int i = 0; i < out.length; i++) {
            double length = timeline.get(i).second() - previous;
            out[i] = length > 0 ? count.applyAsDouble(timeline.get(i)) / length : 0;
            previous = timeline.get(i).second();
        }
        return out;
    }
}
