package io.infergate.loadgen.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.infergate.loadgen.LoadGenerator;
import io.infergate.loadgen.ProgressListener;
import io.infergate.loadgen.report.LoadReport;
import io.infergate.loadgen.report.LoadReportFiles;
import io.infergate.loadgen.report.ReportJson;
import io.infergate.loadgen.arrival.ArrivalProcess;
import io.infergate.loadgen.scenario.Scenario;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one bench: starts the fleet the scenario needs, then, one system at a time, starts the system in
 * front of it, warms it up, runs the scenario's traffic against it (and, for {@code overhead}, searches
 * its highest sustained rate), and stops it. Writes {@code results.json}, {@code report.html} and one
 * load report per system into the output directory. A system that cannot run here (nginx not installed,
 * no gateway on the class path) is skipped with its reason; one that fails is recorded as failed, and
 * the others still run. Every child process is stopped when the run ends, however it ends.
 *
 * <pre>{@code
 * BenchResults results = BenchRunner.run(BenchOptions.builder(BenchScenario.STEADY, Path.of("out"), EmulatorFleets::start)
 *         .quick(true).build());
 * System.out.print(RatioTable.render(results));
 * }</pre>
 */
public final class BenchRunner {

    /** The p99 above which a step of the rate search counts as not sustained: far above any proxy's overhead. */
    private static final double RATE_SEARCH_P99_LIMIT_MS = 50;

    /** Output directory and log name of the baseline run. */
    static final String BASELINE_LABEL = "infergate-baseline";

    private final BenchOptions options;

    private BenchRunner(BenchOptions options) {
        this.options = options;
    }

    public static BenchResults run(BenchOptions options) {
        if (options.scenario() == BenchScenario.AUTOSCALE) {
            return AutoscaleBench.run(options);
        }
        return new BenchRunner(options).run();
    }

    private BenchResults run() {
        BenchScenario scenario = options.scenario();
        boolean quick = options.quick();
        BenchFiles.createDirectories(options.outDir());
        Optional<BenchCertificate> tls = scenario.servesTls()
                ? Optional.of(BenchCertificate.create(options.outDir().resolve("tls"))) : Optional.empty();
        SystemLauncher launcher = new SystemLauncher(options.outDir(), options.gateway(), scenario::gatewayFlow,
                scenario.failover(), scenario.gatewayExtraYaml(), tls);
        List<SystemResult> ran = new ArrayList<>();
        Map<String, String> skipped = new LinkedHashMap<>();
        Optional<SystemResult> baseline = Optional.empty();
        String fleetDescription;
        try (BenchFleet fleet = options.fleet().start(scenario.fleet())) {
            fleetDescription = fleet.description();
            options.log().println("bench " + scenario.label() + (quick ? " (quick)" : "") + " on " + fleetDescription);
            warmUpRig(fleet);
            Optional<Scenario> baselineLoad = scenario.baseline(quick, fleet);
            if (baselineLoad.isPresent() && options.systems().contains(SystemKind.INFERGATE)
                    && launcher.unavailable(SystemKind.INFERGATE).isEmpty()) {
                baseline = Optional.of(runSystem(SystemKind.INFERGATE, BASELINE_LABEL, baselineLoad.get(), launcher, fleet));
            }
            for (SystemKind kind : options.systems()) {
                Optional<String> unavailable = scenario.unsupported(kind).or(() -> launcher.unavailable(kind));
                if (unavailable.isPresent()) {
                    options.log().println("== " + kind.label() + ": skipped: " + unavailable.get());
                    skipped.put(kind.label(), unavailable.get());
                    continue;
                }
                try {
                    ran.add(scenario.freshFleetPerSystem() ? runOnFreshFleet(kind, launcher)
                            : runSystem(kind, kind.label(), scenario.load(quick, fleet), launcher, fleet));
                } catch (RuntimeException e) {
                    options.log().println("== " + kind.label() + ": failed: " + e.getMessage());
                    skipped.put(kind.label(), "failed: " + e.getMessage());
                }
            }
        }
        String setup = Runtime.getRuntime().availableProcessors() + " cores; proxies " + launcher.pinningDescription()
                + "; nginx 1 worker, HAProxy 1 thread; load generator and fleet in the bench JVM"
                + options.rate().map(r -> String.format(Locale.ROOT, "; constant %.0f req/s (--rate)", r)).orElse("")
                + tls.map(t -> "; every proxy serves TLS (HTTP/2 and HTTP/1.1 through ALPN), the load generator "
                        + "speaks HTTP/1.1 over TLS").orElse("")
                + scenario.attackPlan(quick).map(p -> "; " + p.describe()).orElse("");
        BenchResults results = new BenchResults(scenario.label(), quick, fleetDescription, setup, ran, skipped, baseline);
        write(results);
        return results;
    }

    /**
     * Sends the scenario's traffic straight to the fleet for one warm-up period, unrecorded, so that the
     * first system measured does not pay for this JVM's start (class loading, compilation) alone.
     */
    private void warmUpRig(BenchFleet fleet) {
        Duration warmup = options.scenario().warmup(options.quick());
        if (warmup.isPositive()) {
            options.log().println("== warming up the load generator and the fleet for " + warmup.toSeconds() + " s");
            Scenario load = options.scenario().load(options.quick(), fleet);
            LoadGenerator.run(load.withTargets(fleet.members().stream().map(FleetMember::url).toList())
                    .withArrival(load.arrival().rampedOver(warmup))
                    .withDuration(warmup).withMaxRequests(Long.MAX_VALUE), ProgressListener.NONE);
        }
    }

    /** Runs {@code kind} in front of a fleet started for it alone, and stops that fleet. */
    private SystemResult runOnFreshFleet(SystemKind kind, SystemLauncher launcher) {
        try (BenchFleet own = options.fleet().start(options.scenario().fleet())) {
            return runSystem(kind, kind.label(), options.scenario().load(options.quick(), own), launcher, own);
        }
    }

    /**
     * Runs {@code template} against {@code kind}; {@code label} names the run in the log and its output
     * directory. infergate's own metrics, read before it stops, are saved there as {@code gateway-metrics.prom};
     * its flow-control and prediction-error figures come from them. The scenario's
     * faults are played from the start of the measured run, and healed when it ends.
     */
    private SystemResult runSystem(SystemKind kind, String label, Scenario template, SystemLauncher launcher,
                                   BenchFleet fleet) {
        BenchScenario scenario = options.scenario();
        boolean quick = options.quick();
        options.log().println("== " + label);
        long start = System.nanoTime();
        try (RunningSystem system = launcher.start(kind, fleet, template.maxInFlight())) {
            Scenario paced = options.rate().map(r -> template.withArrival(ArrivalProcess.constant(r))).orElse(template);
            Scenario load = BenchApiKey.sentBy(kind, paced.withTargets(system.targets()));
            AtomicReference<ProxyWatch> watch = new AtomicReference<>();
            Optional<FaultPlan> plan = scenario.faultPlan(quick);
            AtomicReference<FaultPlan.Running> faults = new AtomicReference<>();
            Optional<AttackPlan> attackPlan = scenario.attackPlan(quick);
            AtomicReference<AttackPlan.Running> attack = new AtomicReference<>();
            AtomicLong measuredFrom = new AtomicLong();
            Queue<TimedRequest> requests = new ConcurrentLinkedQueue<>();
            AtomicReference<PrefixFigures.Counters> prefixBefore = new AtomicReference<>();
            ProgressListener progress = ProgressListener.printingTo(options.log(), "  " + label + " ")
                    .whenMeasuring(() -> {
                        measuredFrom.set(System.nanoTime());
                        if (scenario.measuresProxy()) {
                            system.proxy().ifPresent(p -> watch.set(ProxyWatch.start(p.handle())));
                        }
                        if (scenario.measuresPrefix()) {
                            prefixBefore.set(PrefixFigures.Counters.read(fleet.members()));
                        }
                        plan.ifPresent(p -> faults.set(p.start(fleet, options.log())));
                        attackPlan.ifPresent(p -> attack.set(p.start(system.targets().getFirst(), options.log())));
                    })
                    .onEachExchange(e -> requests.add(new TimedRequest(
                            e.intendedNanos() - measuredFrom.get(), e.latencyNanos(), e.ok())));
            LoadReport report;
            try {
                report = LoadGenerator.run(load, scenario.warmup(quick), progress);
            } finally {
                Optional.ofNullable(faults.get()).ifPresent(FaultPlan.Running::close);
                Optional.ofNullable(attack.get()).ifPresent(AttackPlan.Running::close);
            }
            Optional<AttackFigures> attackFigures = attackPlan.map(p -> AttackFigures.of(List.copyOf(requests), p,
                    attack.get().reports()));
            Optional<FaultFigures> faultFigures = plan.map(p -> FaultFigures.of(List.copyOf(requests), p,
                    load.duration(), report.overall().errors()));
            Optional<PrefixFigures> prefix = Optional.ofNullable(prefixBefore.get()).map(before ->
                    PrefixFigures.of(before, PrefixFigures.Counters.read(fleet.members()), report.overall().ttft()));
            Optional<ProxyWatch.Usage> usage = Optional.ofNullable(watch.get()).map(ProxyWatch::stop);
            List<RateStep> steps = scenario.rampRates(quick).isEmpty() ? List.of()
                    : RateSearch.run(load, scenario.rampRates(quick), scenario.rampStep(quick), RATE_SEARCH_P99_LIMIT_MS,
                    options.log());
            system.proxy().filter(p -> !p.isAlive()).ifPresent(p -> {
                throw new IllegalStateException(kind.label() + " exited during the run; end of its log:\n" + p.logTail());
            });
            Optional<ProxyFigures> proxy = usage.map(u -> new ProxyFigures(
                    u.cpuNanos() / 1000.0 / Math.max(1, report.overall().requests()),
                    RateSearch.highestSustained(steps),
                    u.maxRssBytes() / (1024.0 * 1024.0)));
            Path dir = options.outDir().resolve(label);
            LoadReportFiles.write(report, dir);
            Optional<String> gatewayMetrics = system.gatewayMetrics().map(url -> {
                String metrics = fetch(url);
                BenchFiles.write(dir.resolve("gateway-metrics.prom"), metrics);
                return metrics;
            });
            return new SystemResult(kind, report, proxy, steps, gatewayMetrics.map(GatewayFlowFigures::parse),
                    gatewayMetrics.map(PredictionErrorFigures::parse), faultFigures, prefix, attackFigures);
        } finally {
            options.log().printf(Locale.ROOT, "== %s done in %.1f s%n", label, (System.nanoTime() - start) / 1e9);
        }
    }

    /** The body of a GET of {@code url}, which must answer 200. */
    static String fetch(URI url) {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(url + ": HTTP " + response.statusCode() + " (expected: 200)");
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading " + url, e);
        }
    }

    private void write(BenchResults results) {
        try {
            BenchFiles.write(options.outDir().resolve("results.json"),
                    ReportJson.MAPPER.writeValueAsString(BenchResultsJson.toJson(results)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("results.json: cannot serialise (" + e.getMessage() + ")", e);
        }
        BenchFiles.write(options.outDir().resolve("report.html"), BenchReportHtml.render(results));
    }
}
