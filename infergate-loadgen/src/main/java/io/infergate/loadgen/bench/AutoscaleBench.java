package io.infergate.loadgen.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.loadgen.LoadGenerator;
import io.infergate.loadgen.ProgressListener;
import io.infergate.loadgen.report.LineChart;
import io.infergate.loadgen.report.LoadReport;
import io.infergate.loadgen.report.LoadReportFiles;
import io.infergate.loadgen.report.ReportJson;
import io.infergate.loadgen.report.TimelinePoint;
import io.infergate.loadgen.scenario.Scenario;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Runs {@code bench --scenario autoscale}: two emulated A100s behind infergate, whose autoscaler
 * ({@code emulated} provider, 2–16 nodes, start-up 10–20 s) faces chat load that jumps from 10 % to
 * 150 % of the two servers' capacity and falls back (see {@link AutoscalePhases}). While the load runs
 * it reads {@code /admin/autoscaler} once per full-scale second. Writes what every bench writes, plus
 * the {@code "scaling"} object in {@code results.json} ({@link ScalingFigures}), {@code scaling.csv}
 * (the samples) and three SVG charts: nodes and load, latency, utilisation over time.
 *
 * <pre>{@code
 * BenchResults results = AutoscaleBench.run(BenchOptions.builder(BenchScenario.AUTOSCALE, out, EmulatorFleets::start).build());
 * }</pre>
 */
public final class AutoscaleBench {

    /** The autoscaler's maximum: the figure the burst must reach. */
    static final int MAX_NODES = 16;
    private static final int MIN_NODES = 2;

    private final BenchOptions options;

    private AutoscaleBench(BenchOptions options) {
        this.options = options;
    }

    public static BenchResults run(BenchOptions options) {
        return new AutoscaleBench(options).run();
    }

    /**
     * The gateway's {@code autoscaler:} section for a fleet at {@code speed}: every duration in it is a
     * full-scale one divided by the speed, and the new nodes are the starting ones' twins.
     */
    static String autoscalerYaml(double speed, int maxNumSeqs) {
        return String.format(Locale.ROOT, """
                autoscaler:
                  pool: bench
                  provider: {type: emulated, speed: %s, profile: a100-llama3-8b, max_num_seqs: %d, startup_min_ms: 10000, startup_max_ms: 20000}
                  min_nodes: %d
                  max_nodes: %d
                  queue_threshold: %d
                  burst_factor: 4
                  burst_horizon_ms: %d
                  growth_window_ms: %d
                  max_release_step: 4
                  max_num_seqs: %d
                  scale_up_cooldown_ms: %d
                  scale_down_cooldown_ms: %d
                  interval_ms: %d
                  utilisation_window_ms: %d
                """, speed, maxNumSeqs, MIN_NODES, MAX_NODES, maxNumSeqs / 2, scaled(20_000, speed), scaled(5_000, speed), maxNumSeqs,
                scaled(10_000, speed), scaled(30_000, speed), scaled(500, speed), scaled(10_000, speed));
    }

    private static long scaled(long fullScaleMillis, double speed) {
        return Math.max(1, Math.round(fullScaleMillis / speed));
    }

    private BenchResults run() {
        BenchScenario scenario = BenchScenario.AUTOSCALE;
        Path out = BenchFiles.createDirectories(options.outDir());
        FleetSpec.Uniform spec = BenchScenario.AUTOSCALE_FLEET;
        try (BenchFleet fleet = options.fleet().start(spec)) {
            AutoscalePhases phases = AutoscalePhases.of(options.quick(), fleet.speed());
            options.log().println("bench autoscale" + (options.quick() ? " (quick)" : "") + " on " + fleet.description());
            SystemLauncher launcher = new SystemLauncher(out, options.gateway(), scenario::gatewayFlow,
                    Optional.empty(), autoscalerYaml(fleet.speed(), spec.maxNumSeqs()), Optional.empty());
            Scenario load = scenario.load(options.quick(), fleet);
            double perNodeRps = BenchScenario.AUTOSCALE_RATED_SHARE
                    * fleet.capacityRps(load.meanPromptTokens(), load.meanOutputTokens()) / spec.servers();
            String label = SystemKind.INFERGATE.label();
            LoadReport report;
            List<ScalingSample> samples;
            String prometheus;
            try (RunningSystem system = launcher.start(SystemKind.INFERGATE, fleet, load.maxInFlight())) {
                URI metrics = system.gatewayMetrics().orElseThrow();
                try (ScalingSampler sampler = ScalingSampler.start(metrics.resolve("/admin/autoscaler"),
                        Duration.ofNanos((long) (1e9 / fleet.speed())))) {
                    report = LoadGenerator.run(load.withTargets(system.targets()), Duration.ZERO,
                            ProgressListener.printingTo(options.log(), "  " + label + " "));
                    samples = sampler.samples();
                }
                prometheus = BenchRunner.fetch(metrics);
                BenchFiles.write(out.resolve(label).resolve("gateway-metrics.prom"), prometheus);
            }
            LoadReportFiles.write(report, out.resolve(label));
            ScalingFigures figures = ScalingFigures.of(samples, phases, MAX_NODES, report.timeline());
            options.log().println("scaling: " + figures.toJson());
            BenchResults results = new BenchResults(scenario.label(), options.quick(), fleet.description(),
                    Runtime.getRuntime().availableProcessors() + " cores; gateway, its emulated nodes, the starting fleet "
                            + "and the load generator on this machine; times in full-scale seconds (× " + fleet.speed() + ")",
                    List.of(new SystemResult(SystemKind.INFERGATE, report, Optional.empty(), List.of(),
                            Optional.of(GatewayFlowFigures.parse(prometheus)),
                            Optional.of(PredictionErrorFigures.parse(prometheus)),
                            Optional.empty(), Optional.empty(), Optional.empty())),
                    Map.of(), Optional.empty());
            write(results, figures, samples, report.timeline(), phases, perNodeRps);
            return results;
        }
    }

    private void write(BenchResults results, ScalingFigures figures, List<ScalingSample> samples,
                       List<TimelinePoint> timeline, AutoscalePhases phases, double perNodeRps) {
        Path out = options.outDir();
        ObjectNode json = BenchResultsJson.toJson(results);
        json.set("scaling", figures.toJson());
        try {
            BenchFiles.write(out.resolve("results.json"), ReportJson.MAPPER.writeValueAsString(json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("results.json: cannot serialise (" + e.getMessage() + ")", e);
        }
        BenchFiles.write(out.resolve("report.html"), BenchReportHtml.render(results));
        StringBuilder csv = new StringBuilder("second_full_scale,committed_nodes,ready_nodes,utilisation,queue\n");
        for (ScalingSample s : samples) {
            csv.append(String.format(Locale.ROOT, "%.1f,%d,%d,%.3f,%d%n", phases.fullScale(s.second()), s.committed(),
                    s.ready(), s.utilisation(), s.queue()));
        }
        BenchFiles.write(out.resolve("scaling.csv"), csv.toString());
        double[] sampleSeconds = samples.stream().mapToDouble(s -> phases.fullScale(s.second())).toArray();
        double[] loadSeconds = timeline.stream().mapToDouble(p -> phases.fullScale(p.second())).toArray();
        BenchFiles.write(out.resolve("scaling-nodes.svg"), standalone(new LineChart("scaling-nodes",
                "Nodes and offered load (nodes' worth at rated capacity)", "s (full scale)", "nodes")
                .series("nodes serving", sampleSeconds, samples.stream().mapToDouble(ScalingSample::ready).toArray())
                .series("nodes committed", sampleSeconds,
                        samples.stream().mapToDouble(ScalingSample::committed).toArray())
                .series("offered load", loadSeconds, timeline.stream().mapToDouble(p -> p.sent() / perNodeRps).toArray())
                .render()));
        BenchFiles.write(out.resolve("scaling-latency.svg"), standalone(new LineChart("scaling-latency",
                "Latency per second (full scale)", "s (full scale)", "ms")
                .series("p99", loadSeconds, timeline.stream().mapToDouble(p -> finite(p.latencyP99Ms()) * phases.speed()).toArray())
                .series("p50", loadSeconds, timeline.stream().mapToDouble(p -> finite(p.latencyP50Ms()) * phases.speed()).toArray())
                .render()));
        BenchFiles.write(out.resolve("scaling-utilisation.svg"), standalone(new LineChart("scaling-utilisation",
                "Pool utilisation (target band 85–92 %)", "s (full scale)", "%")
                .series("utilisation", sampleSeconds, samples.stream().mapToDouble(s -> 100 * finite(s.utilisation())).toArray())
                .render()));
    }

    private static double finite(double value) {
        return Double.isFinite(value) ? value : 0;
    }

    /** The chart as a file of its own: an SVG element needs its namespace outside HTML. */
    private static String standalone(String svg) {
        return svg.contains("xmlns=") ? svg : svg.replaceFirst("<svg ", "<svg xmlns=\"http://www.w3.org/2000/svg\" ");
    }
}
