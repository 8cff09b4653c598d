package io.infergate.loadgen.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.loadgen.attack.AttackReport;
import io.infergate.loadgen.report.ClassReport;
import io.infergate.loadgen.report.ReportJson;

import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code results.json} in the shape issue 4 fixed:
 * <pre>{@code
 * {"scenario": "steady", "quick": true,
 *  "systems": {"<system>": {"classes": {"<class>": {"requests", "errors", "throughput_rps", "goodput_rps",
 *                                                   "ttft_p50_ms", "ttft_p99_ms", "latency_p50_ms", "latency_p99_ms"}},
 *                           "proxy": {"cpu_us_per_request", "max_rps", "rss_mb"},      // overhead and streams only
 *                           "flow": {"<class>": {"queue_wait_p99_ms_at_most", "rejected"}},    // infergate only
 *                           "prediction": {"ttft": {"median", "within_15_percent", "count"},
 *                                          "end_to_end": {...}},                             // infergate only
 *                           "faults": {"errors", "p99_before_ms", "p99_first_5s_ms", "p99_after_ms",
 *                                      "recovery_ratio", "recovery_s"},                    // faults only
 *                           "prefix": {"hit_rate", "ttft_mean_ms", "ttft_p99_ms"},             // prefix only
 *                           "attack": {"<phase>": {"requests", "ok", "errors", "latency_p50_ms", "latency_p99_ms",
 *                                                  "p99_vs_quiet", "attacker": {...}}}}},     // attack only
 *  "baseline": {"system": "infergate", "classes": {...}},                             // priority only
 *  "skipped": {"<system>": "why"}}
 * }</pre>
 * {@code proxy} is {@code null} for {@code direct}, and {@code max_rps} is {@code null} when the scenario
 * does not search for it. {@code flow} holds what infergate's own metrics said about its queues.
 * {@code prediction} holds the gateway's relative prediction errors (|predicted − observed| / observed, 0.1 is
 * 10 %) over every endpoint: the median, the share of predictions within 15 % and how many there were; a kind is
 * {@code null} when the gateway exported none (e.g. a scheduler that does not predict).
 * {@code recovery_s} is {@code null} when p99 had not come back within 1.5× of {@code p99_before_ms} by the end.
 * In {@code attack}, the phases are {@code quiet} then each attack; {@code attacker} ({@code null} in {@code quiet})
 * holds {@code wanted, opened, peak_held, held_at_end, refused, closed_by_server, streams_reset, server_resets,
 * goaways} and {@code first_refusal} ({@code null} when none); a latency is {@code null} when no request was sent.
 */
public final class BenchResultsJson {

    private BenchResultsJson() {
    }

    public static ObjectNode toJson(BenchResults results) {
        ObjectNode root = ReportJson.MAPPER.createObjectNode();
        root.put("scenario", results.scenario());
        root.put("quick", results.quick());
        ObjectNode systems = root.putObject("systems");
        for (SystemResult system : results.systems()) {
            ObjectNode node = systems.putObject(system.kind().label());
            putClasses(node, system);
            if (results.measuresProxy()) {
                if (system.proxy().isPresent()) {
                    ProxyFigures p = system.proxy().get();
                    ObjectNode proxy = node.putObject("proxy");
                    proxy.put("cpu_us_per_request", round(p.cpuUsPerRequest()));
                    if (p.maxRps().isPresent()) {
                        proxy.put("max_rps", round(p.maxRps().getAsDouble()));
                    } else {
                        proxy.putNull("max_rps");
                    }
                    proxy.put("rss_mb", round(p.rssMb()));
                } else {
                    node.putNull("proxy");
                }
            }
            system.flow().ifPresent(flow -> putFlow(node.putObject("flow"), flow));
            system.prediction().ifPresent(p -> {
                ObjectNode prediction = node.putObject("prediction");
                putPredictionError(prediction, "ttft", p.ttft());
                putPredictionError(prediction, "end_to_end", p.endToEnd());
            });
            system.faults().ifPresent(f -> {
                ObjectNode faults = node.putObject("faults")
                        .put("errors", f.errors())
                        .put("p99_before_ms", round(f.p99BeforeMs()))
                        .put("p99_first_5s_ms", round(f.p99FirstMs()))
                        .put("p99_after_ms", round(f.p99AfterMs()))
                        .put("recovery_ratio", round(f.recoveryRatio()));
                if (f.recoverySeconds().isPresent()) {
                    faults.put("recovery_s", f.recoverySeconds().getAsDouble());
                } else {
                    faults.putNull("recovery_s");
                }
            });
            system.prefix().ifPresent(p -> node.putObject("prefix")
                    .put("hit_rate", Math.round(p.hitRate() * 1000) / 1000.0)
                    .put("ttft_mean_ms", round(p.ttftMeanMs()))
                    .put("ttft_p99_ms", round(p.ttftP99Ms())));
            system.attack().ifPresent(a -> putAttack(node.putObject("attack"), a));
        }
        results.baseline().ifPresent(baseline -> putClasses(
                root.putObject("baseline").put("system", baseline.kind().label()), baseline));
        ObjectNode skipped = root.putObject("skipped");
        new TreeMap<>(results.skipped()).forEach(skipped::put);
        return root;
    }

    private static void putAttack(ObjectNode node, AttackFigures figures) {
        for (AttackFigures.Phase p : figures.phases()) {
            ObjectNode phase = node.putObject(p.name()).put("requests", p.requests()).put("ok", p.ok()).put("errors", p.errors());
            putFinite(phase, "latency_p50_ms", p.p50Ms());
            putFinite(phase, "latency_p99_ms", p.p99Ms());
            putFinite(phase, "p99_vs_quiet", p.p99VsQuiet());
            if (p.attacker().isEmpty()) {
                phase.putNull("attacker");
                continue;
            }
            AttackReport r = p.attacker().get();
            ObjectNode attacker = phase.putObject("attacker").put("wanted", r.wanted()).put("opened", r.opened())
                    .put("peak_held", r.peakHeld()).put("held_at_end", r.heldAtEnd()).put("refused", r.refused())
                    .put("closed_by_server", r.closedByServer()).put("streams_reset", r.streamsReset())
                    .put("server_resets", r.serverResets()).put("goaways", r.goaways());
            r.firstRefusal().ifPresentOrElse(why -> attacker.put("first_refusal", why), () -> attacker.putNull("first_refusal"));
        }
    }

    private static void putFinite(ObjectNode node, String field, double value) {
        if (Double.isFinite(value)) {
            node.put(field, round(value));
        } else {
            node.putNull(field);
        }
    }

    /** Every class the gateway dispatched or turned away: its queue wait p99 bound ({@code null} if none went) and rejections. */
    private static void putFlow(ObjectNode node, GatewayFlowFigures flow) {
        Set<String> classes = new TreeSet<>(flow.queueWaitP99AtMostMs().keySet());
        classes.addAll(flow.rejected().keySet());
        for (String c : classes) {
            ObjectNode entry = node.putObject(c);
            Double waitMs = flow.queueWaitP99AtMostMs().get(c);
            if (waitMs == null) {
                entry.putNull("queue_wait_p99_ms_at_most");
            } else {
                entry.put("queue_wait_p99_ms_at_most", waitMs);
            }
            entry.put("rejected", flow.rejected().getOrDefault(c, 0L));
        }
    }

    private static void putPredictionError(ObjectNode node, String field, Optional<PredictionErrorFigures.RelativeError> error) {
        error.ifPresentOrElse(e -> node.putObject(field).put("median", Math.round(e.median() * 10_000) / 10_000.0)
                        .put("within_15_percent", Math.round(e.shareWithin() * 10_000) / 10_000.0).put("count", e.count()),
                () -> node.putNull(field));
    }

    private static void putClasses(ObjectNode node, SystemResult system) {
        ObjectNode classes = node.putObject("classes");
        for (ClassReport c : system.report().classes()) {
            classes.putObject(c.name())
                    .put("requests", c.requests())
                    .put("errors", c.errors())
                    .put("throughput_rps", c.throughputRps())
                    .put("goodput_rps", c.goodputRps())
                    .put("ttft_p50_ms", c.ttft().p50Ms())
                    .put("ttft_p99_ms", c.ttft().p99Ms())
                    .put("latency_p50_ms", c.latency().p50Ms())
                    .put("latency_p99_ms", c.latency().p99Ms());
        }
    }

    private static double round(double x) {
        return Math.round(x * 100) / 100.0;
    }
}
