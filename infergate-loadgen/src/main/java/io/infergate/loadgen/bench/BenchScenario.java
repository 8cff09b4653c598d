package io.infergate.loadgen.bench;

import io.infergate.loadgen.arrival.ArrivalProcess;
import io.infergate.loadgen.arrival.Spacing;
import io.infergate.loadgen.scenario.BuiltInScenarios;
import io.infergate.loadgen.scenario.Distribution;
import io.infergate.loadgen.scenario.Scenario;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The bench's built-in scenarios: the fleet each needs, the load it sends, and what else it measures.
 * {@code quick} versions run each in under a minute for every system together, for CI smoke tests.
 *
 * <pre>{@code
 * BenchScenario steady = BenchScenario.named("steady");
 * Scenario load = steady.load(true);     // the quick version's traffic
 * }</pre>
 */
public enum BenchScenario {

    /** Mixed chat at about 70 % of the demo fleet's capacity. */
    STEADY,
    /** A base load with spikes past the fleet's capacity. */
    BURST,
    /** Tiny requests against servers that answer at once: what each proxy adds, its CPU per request and its highest rate. */
    OVERHEAD,
    /** Many slow streams held open at once: the proxy's memory and CPU while relaying. */
    STREAMS,
    /** Critical short requests mixed with a flood of sheddable long ones. */
    PRIORITY;

    /** Time scale of the emulated demo fleet: ten times faster than real GPUs, so runs are short. */
    static final double DEMO_SPEED = 10;
    /** Requests per second the demo fleet, at {@link #DEMO_SPEED}, sustains with the steady mix. */
    static final double DEMO_CAPACITY_RPS = 40;
    /** Token rate of each stream of the {@code streams} scenario. */
    static final double SLOW_STREAM_TOKENS_PER_SECOND = 10;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static BenchScenario named(String name) {
        for (BenchScenario s : values()) {
            if (s.label().equals(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("bench scenario: '" + name + "' (expected one of "
                + Arrays.stream(values()).map(BenchScenario::label).toList() + ")");
    }

    /** The fleet this scenario runs against. */
    public FleetSpec fleet(boolean quick) {
        return switch (this) {
            case STEADY, BURST, PRIORITY -> new FleetSpec.Demo(DEMO_SPEED);
            case OVERHEAD -> new FleetSpec.Instant(4);
            case STREAMS -> new FleetSpec.SlowStreams(4, SLOW_STREAM_TOKENS_PER_SECOND);
        };
    }

    /** The measured traffic, without a target. */
    public Scenario load(boolean quick) {
        Scenario base = BuiltInScenarios.named(label());
        return switch (this) {
            case STEADY -> base.withArrival(ArrivalProcess.poisson(0.7 * DEMO_CAPACITY_RPS))
                    .withDuration(quick ? Duration.ofSeconds(6) : Duration.ofSeconds(60));
            case BURST -> base.withArrival(quick
                            ? ArrivalProcess.bursts(0.3 * DEMO_CAPACITY_RPS, 5, 2, 5, Spacing.POISSON)
                            : ArrivalProcess.bursts(0.3 * DEMO_CAPACITY_RPS, 5, 10, 30, Spacing.POISSON))
                    .withDuration(quick ? Duration.ofSeconds(10) : Duration.ofSeconds(90));
            case OVERHEAD -> base.withArrival(ArrivalProcess.constant(quick ? 1000 : 5000))
                    .withDuration(quick ? Duration.ofSeconds(3) : Duration.ofSeconds(20))
                    .withTimeout(Duration.ofSeconds(10));
            case STREAMS -> {
                int streams = quick ? 1000 : 10_000;
                Duration rampUp = quick ? Duration.ofSeconds(2) : Duration.ofSeconds(20);
                int tokens = (int) (SLOW_STREAM_TOKENS_PER_SECOND * (quick ? 6 : 45));
                yield base.withArrival(ArrivalProcess.constant(streams / (rampUp.toMillis() / 1000.0)))
                        .withDuration(rampUp)
                        .withMaxRequests(streams)
                        .withMaxInFlight(streams + 100)
                        .withClasses(List.of(base.classes().getFirst().toBuilder()
                                .output(new Distribution.Fixed(tokens)).build()));
            }
            case PRIORITY -> base.withArrival(ArrivalProcess.poisson(1.2 * DEMO_CAPACITY_RPS))
                    .withDuration(quick ? Duration.ofSeconds(8) : Duration.ofSeconds(60));
        };
    }

    /** Traffic sent to each system before the measured run, and forgotten. */
    public Duration warmup(boolean quick) {
        return switch (this) {
            case STREAMS -> Duration.ZERO;
            default -> quick ? Duration.ofSeconds(1) : Duration.ofSeconds(10);
        };
    }

    /** Whether to read each proxy's CPU and memory during the measured run. */
    public boolean measuresProxy() {
        return this == OVERHEAD || this == STREAMS;
    }

    /** Offered rates, in increasing order, of the search for each proxy's highest sustained rate; empty when not measured. */
    public List<Double> rampRates(boolean quick) {
        if (this != OVERHEAD) {
            return List.of();
        }
        return quick ? List.of(2000.0, 4000.0, 8000.0)
                : List.of(2000.0, 4000.0, 6000.0, 8000.0, 10_000.0, 12_000.0, 16_000.0, 20_000.0, 24_000.0);
    }

    /** Length of each step of the rate search. */
    public Duration rampStep(boolean quick) {
        return quick ? Duration.ofSeconds(1) : Duration.ofSeconds(5);
    }
}
