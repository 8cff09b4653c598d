package io.infergate.loadgen.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a bench run does.
 *
 * <pre>{@code
 * BenchOptions options = BenchOptions.builder(BenchScenario.STEADY, Path.of("bench-out"), EmulatorFleets::start)
 *         .quick(true)
 *         .systems(List.of(SystemKind.DIRECT, SystemKind.NGINX_LC, SystemKind.INFERGATE))
 *         .build();
 * }</pre>
 *
 * @param scenario the bench scenario
 * @param quick    run the short version (each scenario under a minute)
 * @param outDir   where results, reports, configs and logs go
 * @param systems  the systems to compare, in order
 * @param fleet    starts the fleet the scenario needs
 * @param gateway  how to start infergate's JVM
 * @param log      progress and the ratio table go here
 * @param rate     requests per second sent at a constant rate in each measured run, in place of the
 *                 scenario's arrivals; empty for the scenario's own
 */
public record BenchOptions(BenchScenario scenario, boolean quick, Path outDir, List<SystemKind> systems,
                           FleetLauncher fleet, GatewayLaunch gateway, PrintStream log, Optional<Double> rate) {

    public BenchOptions {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(outDir, "outDir");
        systems = List.copyOf(systems);
        if (systems.isEmpty()) {
            throw new IllegalArgumentException("systems: none (expected: at least one of " + SystemKind.all() + ")");
        }
        Objects.requireNonNull(fleet, "fleet");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(log, "log");
        rate.filter(r -> !(r > 0) || r.isInfinite()).ifPresent(r -> {
            throw new IllegalArgumentException("rate: " + r + " (expected: requests per second > 0)");
        });
    }

    public static Builder builder(BenchScenario scenario, Path outDir, FleetLauncher fleet) {
        return new Builder(scenario, outDir, fleet);
    }

    /** Builds {@link BenchOptions}: full length, the scenario's default systems, the gateway from this JVM, logging to stderr. */
    public static final class Builder {
        private final BenchScenario scenario;
        private final Path outDir;
        private final FleetLauncher fleet;
        private boolean quick;
        private List<SystemKind> systems;
        private GatewayLaunch gateway = GatewayLaunch.fromThisJvm();
        private PrintStream log = System.err;
        private Optional<Double> rate = Optional.empty();

        private Builder(BenchScenario scenario, Path outDir, FleetLauncher fleet) {
            this.scenario = scenario;
            this.outDir = outDir;
            this.fleet = fleet;
            this.systems = scenario.defaultSystems();
        }

        public Builder quick(boolean quick) {
            this.quick = quick;
            return this;
        }

        public Builder systems(List<SystemKind> systems) {
            this.systems = systems;
            return this;
        }

        public Builder gateway(GatewayLaunch gateway) {
            this.gateway = gateway;
            return this;
        }

        public Builder log(PrintStream log) {
            this.log = log;
            return this;
        }

        /** Discards progress output. */
        public Builder silent() {
            return log(new PrintStream(OutputStream.nullOutputStream()));
        }

        /** Sends {@code requestsPerSecond} at a constant rate in each measured run, in place of the scenario's arrivals. */
        public Builder rate(double requestsPerSecond) {
            this.rate = Optional.of(requestsPerSecond);
            return this;
        }

        public BenchOptions build() {
            return new BenchOptions(scenario, quick, outDir, systems, fleet, gateway, log, rate);
        }
    }
}
