package io.infergate.loadgen.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code infergate bench}: the same scenario against direct, nginx, HAProxy and infergate, in front of one
 * emulated fleet, in one run; writes {@code results.json} and {@code report.html} and prints ratios.
 *
 * <pre>{@code
 * java -jar infergate-cli/target/infergate.jar bench --scenario steady --quick --out bench-out
 * java -jar infergate-cli/target/infergate.jar bench --scenario overhead --systems direct,nginx-lc,infergate --out out
 * java -jar infergate-cli/target/infergate.jar bench --scenario faults --quick --out faults-out
 * java -jar infergate-cli/target/infergate.jar bench --scenario attack --out attack-out
 * }</pre>
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Runs one scenario against each system in front of the same emulated fleet: direct (client-side "
                + "round robin), nginx-rr, nginx-lc, haproxy-rr, haproxy-lc and infergate.",
                "nginx and HAProxy come from /usr/sbin or the PATH; a missing one is skipped. Writes DIR/results.json, "
                        + "DIR/report.html and one load report per system, and prints a ratio table."})
public final class BenchCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--scenario", paramLabel = "NAME", defaultValue = "steady",
            description = "steady, homogeneous, burst, overhead, streams, priority, faults, prefix, autoscale or attack (default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--quick", description = "The short version, about a minute for all systems (CI smoke test).")
    boolean quick;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "Directory for results, reports, configs and logs.")
    Path out;

    @Option(names = "--systems", paramLabel = "LIST", split = ",",
            description = "Systems to run, comma-separated (default: all; infergate-no-flow only for priority; "
                    + "infergate-tuned only for faults and priority; for prefix: direct, nginx-lc, infergate, infergate-no-prefix): "
                    + "direct, nginx-rr, nginx-lc, haproxy-rr, haproxy-lc, "
                    + "infergate (the gateway's defaults: scheduler, retries, health checks), "
                    + "infergate-tuned (faults: the retries and health checks of the other proxies; priority: the servers' batch "
                    + "size configured, half of it kept for critical), infergate-no-flow, "
                    + "infergate-no-prefix; and, only when named, infergate-load-aware and infergate-predicted "
                    + "(routing.scheduler pinned to load-aware or predicted-latency), infergate-auth "
                    + "(API key and local limits) and infergate-redis (the same, limits in a Redis the bench starts).")
    List<String> systems;

    @Option(names = "--rate", paramLabel = "RPS",
            description = "Send this many requests per second, at a constant rate, in each measured run instead of the "
                    + "scenario's own arrivals (e.g. to measure overhead below every system's saturation).")
    Double rate;

    @Override
    public Integer call() {
        BenchOptions options;
        try {
            BenchOptions.Builder builder = BenchOptions.builder(BenchScenario.named(scenario), out, EmulatorFleets::start)
                    .quick(quick);
            if (systems != null) {
                builder.systems(systems.stream().map(SystemKind::ofLabel).toList());
            }
            if (rate != null) {
                builder.rate(rate);
            }
            options = builder.build();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e, null, scenario);
        }
        BenchResults results = BenchRunner.run(options);
        System.out.print(RatioTable.render(results));
        System.err.println("wrote " + out.resolve("results.json") + " and " + out.resolve("report.html"));
        return results.systems().isEmpty() ? 1 : 0;
    }
}
