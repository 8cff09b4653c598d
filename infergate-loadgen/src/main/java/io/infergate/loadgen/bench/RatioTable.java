package io.infergate.loadgen.bench;

import io.infergate.loadgen.report.ClassReport;
import io.infergate.loadgen.report.TextTable;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The bench's terminal summary: per request class, each system's figures and their ratio to the
 * reference system (infergate when it ran). A latency ratio above 1 means slower than the reference; a
 * goodput ratio below 1 means less good work done. For {@code overhead}, the latency each proxy adds to
 * {@code direct}; for {@code overhead} and {@code streams}, each proxy's CPU, memory and highest rate; for every
 * infergate system, its prediction errors.
 *
 * <pre>{@code
 * System.out.print(RatioTable.render(results));
 * }</pre>
 */
public final class RatioTable {

    /** The class {@code priority} protects. */
    private static final String CRITICAL = "critical";

    private RatioTable() {
    }

    public static String render(BenchResults results) {
        StringBuilder out = new StringBuilder();
        Optional<SystemResult> reference = results.reference();
        String ref = reference.map(r -> r.kind().label()).orElse("-");
        out.append("bench ").append(results.scenario()).append(results.quick() ? " (quick)" : "")
                .append(": ratios are system ÷ ").append(ref).append("; latencies in ms from the intended send time\n");
        if (reference.isEmpty()) {
            return out.append("no system ran\n").toString();
        }
        boolean overhead = BenchScenario.named(results.scenario()) == BenchScenario.OVERHEAD;
        Optional<SystemResult> direct = results.system(SystemKind.DIRECT);
        for (String className : classNames(reference.get())) {
            List<String> header = new ArrayList<>(List.of(className, "sent", "errors", "ok/s", "good/s", "ttft p50",
                    "ttft p99", "lat p50", "lat p99", "ttft p99 ×", "lat p99 ×", "good/s ×"));
            if (overhead && direct.isPresent()) {
                header.addAll(List.of("+p50 vs direct", "+p99 vs direct"));
            }
            List<List<String>> rows = new ArrayList<>();
            ClassReport r = classOf(reference.get(), className).orElseThrow();
            for (SystemResult system : results.systems()) {
                Optional<ClassReport> found = classOf(system, className);
                if (found.isEmpty()) {
                    continue;
                }
                ClassReport c = found.get();
                List<String> row = new ArrayList<>(List.of(system.kind().label(), String.valueOf(c.requests()),
                        String.valueOf(c.errors()), TextTable.num(c.throughputRps(), 1), TextTable.num(c.goodputRps(), 1),
                        TextTable.num(c.ttft().p50Ms(), 2), TextTable.num(c.ttft().p99Ms(), 2),
                        TextTable.num(c.latency().p50Ms(), 2), TextTable.num(c.latency().p99Ms(), 2),
                        ratio(c, r, x -> x.ttft().p99Ms()), ratio(c, r, x -> x.latency().p99Ms()),
                        ratio(c, r, ClassReport::goodputRps)));
                if (overhead && direct.isPresent()) {
                    ClassReport d = classOf(direct.get(), className).orElseThrow();
                    row.add(TextTable.num(c.latency().p50Ms() - d.latency().p50Ms(), 3));
                    row.add(TextTable.num(c.latency().p99Ms() - d.latency().p99Ms(), 3));
                }
                rows.add(row);
            }
            out.append('\n').append(TextTable.of(header, rows));
        }
        if (results.measuresProxy()) {
            out.append('\n').append(proxyTable(results));
        }
        if (BenchScenario.named(results.scenario()) == BenchScenario.PRIORITY) {
            out.append('\n').append(prioritySummary(results));
        }
        if (results.systems().stream().anyMatch(system -> system.faults().isPresent())) {
            out.append('\n').append(faultsTable(results));
        }
        if (results.systems().stream().anyMatch(system -> system.attack().isPresent())) {
            out.append('\n').append(attackTable(results));
        }
        if (results.systems().stream().anyMatch(system -> system.prefix().isPresent())) {
            out.append('\n').append(prefixTable(results));
        }
        if (results.systems().stream().anyMatch(system -> system.prediction().isPresent())) {
            out.append('\n').append(PREDICTION_TITLE).append('\n').append(TextTable.of(PREDICTION_HEADER, predictionRows(results)));
        }
        if (!results.skipped().isEmpty()) {
            out.append('\n');
            results.skipped().forEach((system, why) -> out.append("skipped ").append(system).append(": ").append(why).append('\n'));
        }
        return out.toString();
    }

    /**
     * {@code priority}'s figures side by side: the critical class's p99 through infergate under the
     * flood, without it, and through every other system under the flood, each ÷ infergate's under the
     * flood; then what the gateway's own metrics say about critical requests.
     */
    private static String prioritySummary(BenchResults results) {
        Optional<ClassReport> flooded = results.system(SystemKind.INFERGATE).flatMap(r -> classOf(r, CRITICAL));
        if (flooded.isEmpty()) {
            return "priority: infergate did not run\n";
        }
        double reference = flooded.get().latency().p99Ms();
        List<List<String>> rows = new ArrayList<>();
        results.baseline().flatMap(b -> classOf(b, CRITICAL)).ifPresent(alone ->
                rows.add(criticalRow("infergate, no flood", alone, reference)));
        for (SystemResult system : results.systems()) {
            classOf(system, CRITICAL).ifPresent(c -> rows.add(criticalRow(system.kind().label(), c, reference)));
        }
        StringBuilder out = new StringBuilder("critical requests (targets: under the flood at most 1.5× the no-flood p99; "
                + "queue wait p99 at most 15 ms; none shed; flow control off and nginx-lc at least 3× worse)\n")
                .append(TextTable.of(List.of("system", "sent", "errors", "lat p50", "lat p99", "p99 ÷ infergate"), rows));
        results.system(SystemKind.INFERGATE).flatMap(SystemResult::flow).ifPresent(flow -> out
                .append("infergate's own metrics: critical queue wait p99 at most ")
                .append(Optional.ofNullable(flow.queueWaitP99AtMostMs().get(CRITICAL)).map(ms -> TextTable.num(ms, 0) + " ms")
                        .orElse("n/a"))
                .append(", critical requests turned away ").append(flow.rejected().getOrDefault(CRITICAL, 0L)).append('\n'));
        return out.toString();
    }

    /** {@code faults}: each system's errors and p99 around the faults, against the targets. */
    private static String faultsTable(BenchResults results) {
        List<List<String>> rows = new ArrayList<>();
        for (SystemResult system : results.systems()) {
            system.faults().ifPresent(f -> rows.add(List.of(system.kind().label(), String.valueOf(f.errors()),
                    TextTable.num(f.p99BeforeMs(), 1), TextTable.num(f.p99FirstMs(), 1), TextTable.num(f.p99AfterMs(), 1),
                    TextTable.num(f.recoveryRatio(), 2) + "×",
                    f.recoverySeconds().isPresent() ? TextTable.num(f.recoverySeconds().getAsDouble(), 0) + " s" : "never")));
        }
        return "faults (targets: no errors; p99 from 5 s after the faults within "
                + TextTable.num(FaultFigures.RECOVERED_WITHIN, 1) + "× of p99 before)\n"
                + TextTable.of(List.of("system", "errors", "p99 before", "p99 first 5 s", "p99 after", "after ÷ before",
                "recovered after"), rows);
    }

    /**
     * {@code attack}: each system's legitimate traffic in each phase, its p99 ÷ its own quiet p99 and ÷ the
     * reference system's in the same phase; then what the attacker achieved against each.
     */
    private static String attackTable(BenchResults results) {
        Optional<AttackFigures> reference = results.reference().flatMap(SystemResult::attack);
        String ref = results.reference().map(r -> r.kind().label()).orElse("-");
        List<List<String>> rows = new ArrayList<>();
        StringBuilder attackers = new StringBuilder();
        for (SystemResult system : results.systems()) {
            if (system.attack().isEmpty()) {
                continue;
            }
            for (AttackFigures.Phase p : system.attack().get().phases()) {
                double refP99 = reference.flatMap(r -> r.phase(p.name())).map(AttackFigures.Phase::p99Ms).orElse(Double.NaN);
                rows.add(List.of(system.kind().label(), p.name(), String.valueOf(p.requests()), String.valueOf(p.ok()),
                        String.valueOf(p.errors()), finite(p.p50Ms(), 1), finite(p.p99Ms(), 1), times(p.p99VsQuiet()),
                        times(p.p99Ms() / refP99)));
                p.attacker().ifPresent(a -> attackers.append("  ").append(system.kind().label()).append(": ")
                        .append(a.summary()).append('\n'));
            }
        }
        return "attack (targets: in each attack p99 within " + TextTable.num(AttackFigures.P99_WITHIN, 1)
                + "× of the quiet p99, no legitimate errors; latencies in ms)\n"
                + TextTable.of(List.of("system", "phase", "sent", "ok", "errors", "p50", "p99", "p99 ÷ quiet",
                "p99 ÷ " + ref), rows)
                + reference.map(AttackFigures::attacker).orElse("attacker") + "\n" + attackers;
    }

    private static String finite(double x, int decimals) {
        return Double.isFinite(x) ? TextTable.num(x, decimals) : "n/a";
    }

    private static String times(double ratio) {
        return Double.isFinite(ratio) ? TextTable.num(ratio, 2) + "×" : "n/a";
    }

    static final String PREDICTION_TITLE = "prediction error (|predicted − observed| / observed, over every endpoint; "
            + "median interpolated within the gateway's histogram buckets; - where the gateway exported none)";
    static final List<String> PREDICTION_HEADER = List.of("system", "ttft median", "ttft ≤ 15 %", "ttft n",
            "e2e median", "e2e ≤ 15 %", "e2e n");

    /** Each infergate system's prediction errors, TTFT then end-to-end: median, share within 15 %, count. */
    static List<List<String>> predictionRows(BenchResults results) {
        List<List<String>> rows = new ArrayList<>();
        for (SystemResult system : results.systems()) {
            system.prediction().ifPresent(p -> {
                List<String> row = new ArrayList<>(List.of(system.kind().label()));
                row.addAll(errorCells(p.ttft()));
                row.addAll(errorCells(p.endToEnd()));
                rows.add(row);
            });
        }
        return rows;
    }

    private static List<String> errorCells(Optional<PredictionErrorFigures.RelativeError> error) {
        return error.map(e -> List.of(TextTable.num(100 * e.median(), 1) + " %", TextTable.num(100 * e.shareWithin(), 1) + " %",
                String.valueOf(e.count()))).orElse(List.of("-", "-", "-"));
    }

    /** {@code prefix}: the fleet's prefix-cache hit rate and TTFT through each system. */
    private static String prefixTable(BenchResults results) {
        List<List<String>> rows = new ArrayList<>();
        for (SystemResult system : results.systems()) {
            system.prefix().ifPresent(p -> rows.add(List.of(system.kind().label(), TextTable.num(100 * p.hitRate(), 1) + " %",
                    TextTable.num(p.ttftMeanMs(), 1), TextTable.num(p.ttftP99Ms(), 1))));
        }
        return "prefix caching (hit rate: prompt tokens found cached, over the fleet)\n"
                + TextTable.of(List.of("system", "hit rate", "ttft mean", "ttft p99"), rows);
    }

    private static List<String> criticalRow(String label, ClassReport c, double referenceP99) {
        return List.of(label, String.valueOf(c.requests()), String.valueOf(c.errors()), TextTable.num(c.latency().p50Ms(), 2),
                TextTable.num(c.latency().p99Ms(), 2),
                referenceP99 > 0 ? TextTable.num(c.latency().p99Ms() / referenceP99, 2) + "×" : "n/a");
    }

    private static String proxyTable(BenchResults results) {
        Optional<ProxyFigures> ref = results.reference().flatMap(SystemResult::proxy);
        List<List<String>> rows = new ArrayList<>();
        for (SystemResult system : results.systems()) {
            String maxRps = system.rateSteps().isEmpty() ? "-"
                    : RateSearch.highestSustained(system.rateSteps()).stream().mapToObj(x -> TextTable.num(x, 0))
                    .findFirst().orElse("none");
            if (system.proxy().isEmpty()) {
                rows.add(List.of(system.kind().label(), "-", "-", "-", maxRps));
                continue;
            }
            ProxyFigures p = system.proxy().get();
            String cpuRatio = ref.filter(r -> r.cpuUsPerRequest() > 0)
                    .map(r -> TextTable.num(p.cpuUsPerRequest() / r.cpuUsPerRequest(), 2) + "×").orElse("n/a");
            rows.add(List.of(system.kind().label(), TextTable.num(p.cpuUsPerRequest(), 1), cpuRatio,
                    TextTable.num(p.rssMb(), 1), maxRps));
        }
        return "proxy cost (direct's highest rate is the load generator's own ceiling)\n"
                + TextTable.of(List.of("system", "cpu µs/req", "cpu ×", "rss MiB", "max ok/s"), rows);
    }

    private static List<String> classNames(SystemResult system) {
        List<String> names = new ArrayList<>(system.report().classes().stream().map(ClassReport::name).toList());
        if (names.size() > 1) {
            names.add(system.report().overall().name());
        }
        return names;
    }

    /** A class of the system's report, or the report's overall figures for the name {@code all}. */
    static Optional<ClassReport> classOf(SystemResult system, String name) {
        if (name.equals(system.report().overall().name()) && system.report().classes().size() > 1) {
            return Optional.of(system.report().overall());
        }
        return system.report().classes().stream().filter(c -> c.name().equals(name)).findFirst();
    }

    private static String ratio(ClassReport c, ClassReport reference, ToDoubleFunction<ClassReport> metric) {
        double r = metric.applyAsDouble(reference);
        return r > 0 ? TextTable.num(metric.applyAsDouble(c) / r, 2) + "×" : "n/a";
    }
}
