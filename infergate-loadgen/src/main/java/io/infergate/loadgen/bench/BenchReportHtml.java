package io.infergate.loadgen.bench;

import io.infergate.loadgen.report.BarChart;
import io.infergate.loadgen.report.ClassReport;
import io.infergate.loadgen.report.HtmlPage;
import io.infergate.loadgen.report.TextTable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The bench's self-contained HTML page: the systems side by side, per class, as tables and inline-SVG
 * bar charts ({@code #chart-latency-p99}, {@code #chart-latency-p50}, {@code #chart-ttft-p99},
 * {@code #chart-goodput}, and {@code #chart-proxy-cpu} for the scenarios that measure proxies), infergate's
 * prediction errors, with links to each system's own load report.
 *
 * <pre>{@code
 * Files.writeString(dir.resolve("report.html"), BenchReportHtml.render(results));
 * }</pre>
 */
public final class BenchReportHtml {

    private BenchReportHtml() {
    }

    public static String render(BenchResults results) {
        StringBuilder body = new StringBuilder();
        body.append("<p class=\"meta\">scenario <b>").append(HtmlPage.escape(results.scenario())).append("</b>")
                .append(results.quick() ? " (quick)" : "").append("<br>fleet: ").append(HtmlPage.escape(results.fleet()))
                .append("<br>setup: ").append(HtmlPage.escape(results.setup())).append("</p>\n")
                .append("<p class=\"note\">The same traffic, open loop, against each system in turn, in front of the same fleet. ")
                .append("Latencies in ms from each request's intended send time; good/s counts answers within their SLO. ")
                .append("Ratios are each system ÷ ").append(HtmlPage.escape(results.reference().map(r -> r.kind().label()).orElse("-")))
                .append(".</p>\n");
        if (!results.skipped().isEmpty()) {
            body.append("<h2>Skipped</h2>\n<ul>\n");
            results.skipped().forEach((system, why) -> body.append("<li><b>").append(HtmlPage.escape(system))
                    .append("</b>: ").append(HtmlPage.escape(why)).append("</li>\n"));
            body.append("</ul>\n");
        }
        if (results.systems().isEmpty()) {
            return HtmlPage.render("infergate bench: " + results.scenario(), body.toString());
        }
        List<String> classNames = classNames(results);
        body.append("<h2>Side by side</h2>\n");
        for (String className : classNames) {
            body.append("<h3>").append(HtmlPage.escape(className)).append("</h3>\n").append(classTable(results, className));
        }
        body.append("<h2>Charts</h2>\n")
                .append(chart(results, classNames, "chart-latency-p99", "End-to-end latency p99 by class", "ms", c -> c.latency().p99Ms()))
                .append(chart(results, classNames, "chart-latency-p50", "End-to-end latency p50 by class", "ms", c -> c.latency().p50Ms()))
                .append(chart(results, classNames, "chart-ttft-p99", "Time to first token p99 by class", "ms", c -> c.ttft().p99Ms()))
                .append(chart(results, classNames, "chart-goodput", "Goodput (answers within SLO) by class", "req/s", ClassReport::goodputRps));
        if (results.measuresProxy()) {
            body.append("<h2>Proxy cost</h2>\n").append(proxySection(results));
        }
        if (results.systems().stream().anyMatch(system -> system.prediction().isPresent())) {
            body.append("<h2>Prediction error</h2>\n").append(HtmlPage.table(RatioTable.PREDICTION_HEADER,
                    RatioTable.predictionRows(results))).append("<p class=\"note\">").append(HtmlPage.escape(
                    RatioTable.PREDICTION_TITLE)).append(", from each gateway's metrics at the end of its run.</p>\n");
        }
        body.append("<h2>Each system's own report</h2>\n<ul>\n");
        for (SystemResult system : results.systems()) {
            String label = HtmlPage.escape(system.kind().label());
            body.append("<li><a href=\"").append(label).append("/report.html\">").append(label).append("</a></li>\n");
        }
        body.append("</ul>\n");
        return HtmlPage.render("infergate bench: " + results.scenario(), body.toString());
    }

    private static String classTable(BenchResults results, String className) {
        Optional<ClassReport> reference = results.reference().flatMap(r -> RatioTable.classOf(r, className));
        List<List<String>> rows = new ArrayList<>();
        List<Map.Entry<String, SystemResult>> runs = new ArrayList<>();
        results.baseline().ifPresent(b -> runs.add(Map.entry(b.kind().label() + ", baseline", b)));
        results.systems().forEach(system -> runs.add(Map.entry(system.kind().label(), system)));
        for (Map.Entry<String, SystemResult> run : runs) {
            RatioTable.classOf(run.getValue(), className).ifPresent(c -> rows.add(List.of(run.getKey(),
                    String.valueOf(c.requests()), String.valueOf(c.errors()), TextTable.num(c.throughputRps(), 2),
                    TextTable.num(c.goodputRps(), 2), TextTable.num(c.ttft().p50Ms(), 2), TextTable.num(c.ttft().p99Ms(), 2),
                    TextTable.num(c.latency().p50Ms(), 2), TextTable.num(c.latency().p99Ms(), 2),
                    reference.map(r -> ratio(c.latency().p99Ms(), r.latency().p99Ms())).orElse("n/a"))));
        }
        return HtmlPage.table(List.of("system", "sent", "errors", "ok/s", "good/s", "ttft p50", "ttft p99", "latency p50",
                "latency p99", "latency p99 ×"), rows);
    }

    private static String chart(BenchResults results, List<String> classNames, String id, String title, String unit,
                                ToDoubleFunction<ClassReport> metric) {
        BarChart chart = new BarChart(id, title, unit);
        for (String className : classNames) {
            Map<String, Double> bySystem = new LinkedHashMap<>();
            for (SystemResult system : results.systems()) {
                RatioTable.classOf(system, className).ifPresent(c -> bySystem.put(system.kind().label(), metric.applyAsDouble(c)));
            }
            chart.group(className, bySystem);
        }
        return chart.render();
    }

    private static String proxySection(BenchResults results) {
        List<List<String>> rows = new ArrayList<>();
        BarChart cpu = new BarChart("chart-proxy-cpu", "Proxy CPU time per request", "µs");
        Map<String, Double> cpuBySystem = new LinkedHashMap<>();
        for (SystemResult system : results.systems()) {
            String maxRps = RateSearch.highestSustained(system.rateSteps()).stream()
                    .mapToObj(x -> TextTable.num(x, 0)).findFirst().orElse(system.rateSteps().isEmpty() ? "-" : "none");
            String steps = String.join(", ", system.rateSteps().stream().map(s -> TextTable.num(s.offeredRps(), 0) + "→"
                    + TextTable.num(s.okRps(), 0) + (s.sustained() ? "" : " ✗")).toList());
            Optional<ProxyFigures> p = system.proxy();
            p.ifPresent(f -> cpuBySystem.put(system.kind().label(), f.cpuUsPerRequest()));
            rows.add(List.of(system.kind().label(), p.map(f -> TextTable.num(f.cpuUsPerRequest(), 1)).orElse("-"),
                    p.map(f -> TextTable.num(f.rssMb(), 1)).orElse("-"), maxRps, steps.isEmpty() ? "-" : steps));
        }
        cpu.group("cpu per request", cpuBySystem);
        return HtmlPage.table(List.of("system", "cpu µs/request", "max rss MiB", "highest sustained ok/s",
                "rate search (offered→ok/s)"), rows)
                + "<p class=\"note\">CPU and memory of the proxy's whole process tree, read from /proc during the measured run. "
                + "direct has no proxy; its highest rate is the load generator's own ceiling on this machine.</p>\n"
                + cpu.render();
    }

    private static List<String> classNames(BenchResults results) {
        List<String> names = new ArrayList<>();
        for (SystemResult system : results.systems()) {
            for (ClassReport c : system.report().classes()) {
                if (!names.contains(c.name())) {
                    names.add(c.name());
                }
            }
        }
        if (names.size() > 1) {
            names.add("all");
        }
        return names;
    }

    private static String ratio(double value, double reference) {
        return reference > 0 ? TextTable.num(value / reference, 2) + "×" : "n/a";
    }
}
