package io.infergate.loadgen.bench;

import io.infergate.loadgen.arrival.ArrivalProcess;
import io.infergate.loadgen.arrival.RateProfile;
import io.infergate.loadgen.arrival.Spacing;
import io.infergate.loadgen.scenario.BuiltInScenarios;
import io.infergate.loadgen.scenario.Distribution;
import io.infergate.loadgen.scenario.RequestClass;
import io.infergate.loadgen.scenario.Scenario;
import io.infergate.loadgen.scenario.Slo;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The bench's built-in scenarios: the fleet each needs, the load it sends, and what else it measures.
 * Rates of the chat scenarios are fractions of the fleet's estimated capacity
 * ({@link BenchFleet#capacityRps}) and their latency objectives are divided by the fleet's speed.
 * {@code quick} versions run each in about a minute for every system together, for CI smoke tests.
 *
 * <pre>{@code
 * BenchScenario steady = BenchScenario.named("steady");
 * Scenario load = steady.load(true, fleet);     // the quick version's traffic, sized for the fleet
 * }</pre>
 */
public enum BenchScenario {

    /** Mixed chat at 70 % of the demo fleet's capacity. */
    STEADY,
    /** {@code steady}'s traffic on four equal A100s (the demo fleet's A100, at its speed and batch bound). */
    HOMOGENEOUS,
    /** A base load at 30 % of capacity with 5× spikes, to 150 %. */
    BURST,
    /** Tiny requests against servers that answer at once: what each proxy adds, its CPU per request and its highest rate. */
    OVERHEAD,
    /** Many slow streams held open at once: the proxy's memory and CPU while relaying. */
    STREAMS,
    /**
     * A flood of sheddable long requests at twice the fleet's capacity for them, with critical short
     * requests taking a tenth of its capacity for those; and the critical requests alone, as the no-flood
     * baseline. infergate keeps two of each server's four places for critical; {@code infergate-no-flow} runs too.
     */
    PRIORITY,
    /**
     * Non-streamed chat at a steady rate on four A100s while one dies (and later returns), one hangs and
     * one fails 30 % of its requests ({@link FaultPlan}); nginx, HAProxy and {@code infergate-tuned} get
     * retries and health checks tuned to the short requests ({@link Failover}), {@code infergate} keeps its
     * defaults; each system gets a fresh fleet.
     */
    FAULTS,
    /**
     * Multi-turn chat on four A100s with prefix caching and KV caches too small to hold every
     * conversation everywhere: the fleet's prefix-cache hit rate and TTFT; {@code infergate-no-prefix} runs too.
     */
    PREFIX,
    /**
     * Chat load that jumps from 10 % to 150 % of a two-server fleet's capacity and falls back, against
     * infergate with its autoscaler adding and releasing emulated servers; run by {@link AutoscaleBench}.
     */
    AUTOSCALE,
    /**
     * Non-streamed and streamed chat at a modest rate on four A100s, through proxies serving TLS (HTTP/2 and
     * HTTP/1.1 through ALPN), quiet and then while an attacker on the same machine holds idle connections,
     * floods HTTP/2 rapid resets, and trickles slow headers ({@link AttackPlan}); infergate and nginx-lc at
     * their defaults.
     */
    ATTACK;

    /** The demo fleet of the chat scenarios: five times real time, four sequences per server. */
    static final FleetSpec.Demo DEMO = new FleetSpec.Demo(5, 4);
    /**
     * The starting fleet of {@code autoscale}: two A100s at four times real time, 32 sequences each.
     * Batches of 32 rather than the demo's 4: with four slots a node is a quarter of the pool's noise,
     * so a Poisson surge on three nodes looks like the load jump itself, and a band of seven points
     * cannot be told from noise on 12 slots.
     */
    static final FleetSpec.Uniform AUTOSCALE_FLEET = new FleetSpec.Uniform(2, 4, 32, true);
    /** The fleet of {@code homogeneous}: four copies of the demo fleet's A100, as {@link #DEMO} runs it. */
    static final FleetSpec.Uniform HOMOGENEOUS_FLEET = new FleetSpec.Uniform(4, DEMO.speed(), DEMO.maxNumSeqs(), false);
    /** In {@code autoscale}: the load before the jump and after the fall, and at the top, as shares of the starting fleet's rated capacity. */
    static final double AUTOSCALE_LOW = 0.1;
    static final double AUTOSCALE_HIGH = 1.5;
    /**
     * A node's rated capacity in {@code autoscale}: the share of its full-batch throughput it carries
     * at the middle of the autoscaler's target band (85-92 % batch occupancy). Rated at 100 %, 150 % of
     * two nodes would be three nodes' full batches: three nodes at 100 %, four at 75 %, none in the band.
     */
    static final double AUTOSCALE_RATED_SHARE = 0.885;

    /** One token a second per stream in {@code streams}. */
    static final long STREAM_TOKEN_INTERVAL_MILLIS = 1000;
    /** Streams held open at once in the full {@code streams} run, when the open-file limit allows. */
    static final int STREAMS_FULL = 10_000;

    /**
     * Unanswered requests allowed at once in {@code overhead}: hundreds of times what a healthy system
     * holds at these rates, and few enough that a stalled one sheds (as {@code dropped_by_client})
     * instead of opening connections until no file descriptor is left.
     */
    static final int OVERHEAD_MAX_IN_FLIGHT = 512;

    /** In {@code attack}: the legitimate requests per second, half of them streamed. */
    static final double ATTACK_LEGITIMATE_RPS = 20;

    /** In {@code priority}: the sheddable flood's rate, as a multiple of the fleet's capacity for such requests. */
    static final double FLOOD_TIMES_CAPACITY = 2.0;
    /** In {@code priority}: the critical requests' rate, as a share of the fleet's capacity for such requests. */
    static final double CRITICAL_SHARE_OF_CAPACITY = 0.1;
    /** In {@code priority}, for {@code infergate-tuned}: the share of each server kept for critical, two of its four places. */
    static final double RESERVED_FOR_CRITICAL = 0.5;

    /** The fleet of {@code faults} and {@code attack}: four A100s, five times real time, no prefix caching. */
    static final FleetSpec.Replicas FAULTS_FLEET = new FleetSpec.Replicas(FaultPlan.SERVERS, 5, 0);
    /**
     * The fleet of {@code prefix}: four A100s, five times real time, each with a KV cache of 32 768
     * tokens: about 18 conversations of the scenario's mean length, so that the 63 conversations fit
     * when each stays on one server, not when every server sees all of them.
     */
    static final FleetSpec.Replicas PREFIX_FLEET = new FleetSpec.Replicas(4, 5, 32_768);
    /**
     * In {@code faults}: four attempts in all; an attempt without an answer after 500 ms (five times a
     * request's usual 100 ms) is retried elsewhere; health probes every 200 ms.
     */
    static final Failover FAULTS_FAILOVER = new Failover(4, Duration.ofMillis(500), Duration.ofMillis(200));

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
    public FleetSpec fleet() {
        return switch (this) {
            case STEADY, BURST, PRIORITY -> DEMO;
            case HOMOGENEOUS -> HOMOGENEOUS_FLEET;
            case OVERHEAD -> new FleetSpec.Instant(4);
            case STREAMS -> new FleetSpec.SlowStreams(4, STREAM_TOKEN_INTERVAL_MILLIS);
            case FAULTS, ATTACK -> FAULTS_FLEET;
            case PREFIX -> PREFIX_FLEET;
            case AUTOSCALE -> AUTOSCALE_FLEET;
        };
    }

    /** The measured traffic for {@code fleet}, without a target. */
    public Scenario load(boolean quick, BenchFleet fleet) {
        Scenario base = BuiltInScenarios.named(switch (this) {
            case AUTOSCALE, HOMOGENEOUS -> STEADY.label();
            case ATTACK -> FAULTS.label();
            default -> label();
        });
        double capacity = fleet.capacityRps(base.meanPromptTokens(), base.meanOutputTokens());
        Duration chatTimeout = quick ? Duration.ofSeconds(3) : Duration.ofSeconds(60);
        return switch (this) {
            case STEADY, HOMOGENEOUS -> base.withArrival(ArrivalProcess.poisson(0.7 * capacity))
                    .withDuration(quick ? Duration.ofSeconds(4) : Duration.ofSeconds(60))
                    .withTimeout(chatTimeout)
                    .withSlosDividedBy(fleet.speed());
            case BURST -> base.withArrival(quick
                            ? ArrivalProcess.bursts(0.3 * capacity, 5, 1, 2.5, Spacing.POISSON)
                            : ArrivalProcess.bursts(0.3 * capacity, 5, 10, 30, Spacing.POISSON))
                    .withDuration(quick ? Duration.ofSeconds(5) : Duration.ofSeconds(90))
                    .withTimeout(chatTimeout)
                    .withSlosDividedBy(fleet.speed());
            case PRIORITY -> priority(base, fleet, true)
                    .withDuration(quick ? Duration.ofSeconds(5) : Duration.ofSeconds(60))
                    .withTimeout(chatTimeout)
                    .withSlosDividedBy(fleet.speed());
            case OVERHEAD -> base.withArrival(ArrivalProcess.constant(quick ? 1000 : 5000))
                    .withDuration(quick ? Duration.ofSeconds(3) : Duration.ofSeconds(20))
                    .withMaxInFlight(OVERHEAD_MAX_IN_FLIGHT)
                    .withTimeout(Duration.ofSeconds(10));
            case FAULTS -> base.withDuration(quick ? Duration.ofSeconds(12) : Duration.ofSeconds(35));
            case PREFIX -> base.withDuration(quick ? Duration.ofSeconds(8) : Duration.ofSeconds(40));
            case ATTACK -> {
                RequestClass chat = base.classes().getFirst();
                yield base.withClasses(List.of(chat.toBuilder().share(0.5).build(),
                                        RequestClass.builder("chat-stream", chat.model()).share(0.5).prompt(chat.promptTokens())
                                        .output(chat.outputTokens()).stream(true).build()))
                        .withArrival(ArrivalProcess.poisson(ATTACK_LEGITIMATE_RPS))
                        .withDuration(attackPlan(quick).orElseThrow().length());
            }
            case STREAMS -> {
                int streams = quick ? 1000 : OpenFileLimit.proxyConnections(STREAMS_FULL);
                Duration rampUp = quick ? Duration.ofSeconds(2) : Duration.ofSeconds(20);
                Duration held = quick ? Duration.ofSeconds(4) : Duration.ofSeconds(20);
                long tokens = (rampUp.toMillis() + held.toMillis()) / STREAM_TOKEN_INTERVAL_MILLIS;
                yield base.withArrival(ArrivalProcess.constant(streams * 1000.0 / rampUp.toMillis()))
                        .withDuration(rampUp)
                        .withMaxRequests(streams)
                        .withMaxInFlight(streams)
                        .withClasses(List.of(base.classes().getFirst().toBuilder()
                                .output(new Distribution.Fixed((int) tokens)).build()));
            }
            case AUTOSCALE -> {
                AutoscalePhases phases = AutoscalePhases.of(quick, fleet.speed());
                double rated = AUTOSCALE_RATED_SHARE * capacity;
                // Whole answers rather than token streams: the relay's per-token work would otherwise
                // saturate the machine before the emulated GPUs; latency objectives only, then.
                yield base.withClasses(base.classes().stream().map(c -> c.toBuilder().stream(false)
                                .slo(Slo.of(null, c.slo().latency().orElse(null))).build()).toList())
                        .withArrival(ArrivalProcess.of(new RateProfile.Stepwise(List.of(
                                new RateProfile.Stepwise.Step(0, AUTOSCALE_LOW * rated),
                                new RateProfile.Stepwise.Step(phases.jumpSecond(), AUTOSCALE_HIGH * rated),
                                new RateProfile.Stepwise.Step(phases.fallSecond(), AUTOSCALE_LOW * rated))),
                                Spacing.POISSON))
                        .withDuration(Duration.ofNanos((long) (phases.endSecond() * 1e9)))
                        .withTimeout(Duration.ofSeconds(60))
                        .withSlosDividedBy(fleet.speed());
            }
        };
    }

    /**
     * The traffic of the no-flood baseline, run through infergate only: for {@code priority}, the
     * critical requests alone at their rate under the flood; empty for the other scenarios.
     */
    public Optional<Scenario> baseline(boolean quick, BenchFleet fleet) {
        if (this != PRIORITY) {
            return Optional.empty();
        }
        Scenario flood = load(quick, fleet);
        return Optional.of(priority(BuiltInScenarios.named(label()), fleet, false)
                .withDuration(flood.duration()).withTimeout(flood.timeout()).withSlosDividedBy(fleet.speed()));
    }

    /**
     * How the bench configures infergate's flow control for {@code kind}. {@code priority} runs the gateway's
     * defaults (each server's batch learnt, a reserve that follows critical demand) and, as
     * {@code infergate-tuned}, the tuning the defaults replace: the servers' batch size configured with half of
     * it kept for critical. {@code autoscale} keeps none: its chat has no critical request, and its load and
     * utilisation figures are measured against the whole batch of every node. {@code infergate-no-flow} gets
     * flow control switched off.
     */
    public GatewayFlow gatewayFlow(SystemKind kind) {
        GatewayFlow flow = switch (this) {
            case PRIORITY -> kind == SystemKind.INFERGATE_TUNED
                    ? GatewayFlow.fixed(DEMO.maxNumSeqs(), RESERVED_FOR_CRITICAL) : GatewayFlow.DEFAULT;
            case AUTOSCALE -> GatewayFlow.fixed(AUTOSCALE_FLEET.maxNumSeqs(), 0);
            default -> GatewayFlow.DEFAULT;
        };
        return kind == SystemKind.INFERGATE_NO_FLOW ? flow.off() : flow;
    }

    /**
     * The systems run when none are named: all but those {@linkplain SystemKind#onlyWhenNamed() run only when
     * named}, {@code infergate-no-flow} only where flow control matters; for {@code prefix}, direct, nginx-lc and
     * infergate with and without prefix affinity.
     */
    public List<SystemKind> defaultSystems() {
        return switch (this) {
            case PREFIX -> List.of(SystemKind.DIRECT, SystemKind.NGINX_LC, SystemKind.INFERGATE,
                    SystemKind.INFERGATE_NO_PREFIX);
            case PRIORITY -> SystemKind.all().stream()
                    .filter(kind -> kind != SystemKind.INFERGATE_NO_PREFIX && !kind.onlyWhenNamed()).toList();
            case AUTOSCALE -> List.of(SystemKind.INFERGATE);
            case ATTACK -> List.of(SystemKind.INFERGATE, SystemKind.NGINX_LC);
            case FAULTS -> SystemKind.all().stream()
                    .filter(kind -> kind != SystemKind.INFERGATE_NO_FLOW && kind != SystemKind.INFERGATE_NO_PREFIX
                            && !kind.onlyWhenNamed()).toList();
            default -> SystemKind.all().stream()
                    .filter(kind -> kind != SystemKind.INFERGATE_NO_FLOW && kind != SystemKind.INFERGATE_NO_PREFIX
                            && kind != SystemKind.INFERGATE_TUNED && !kind.onlyWhenNamed()).toList();
        };
    }

    /** The faults played during each system's measured run; empty but for {@code faults}. */
    public Optional<FaultPlan> faultPlan(boolean quick) {
        return this != FAULTS ? Optional.empty() : Optional.of(quick
                ? new FaultPlan(Duration.ofSeconds(3), Duration.ofSeconds(8), 0.3)
                : new FaultPlan(Duration.ofSeconds(10), Duration.ofSeconds(20), 0.3));
    }

    /**
     * Top-level sections appended to every infergate config of this scenario. {@code streams} holds its
     * 10 000 streams from one client address, as no real client would: the gateway's per-address
     * connection cap (4 096 by default) is lifted there, as it would be behind a NAT or a proxy.
     */
    public String gatewayExtraYaml() {
        return this == STREAMS ? "limits: {max_connections_per_address: 0}\n" : "";
    }

    /** The attacks played during each system's measured run; empty but for {@code attack}. */
    public Optional<AttackPlan> attackPlan(boolean quick) {
        return this != ATTACK ? Optional.empty() : Optional.of(quick ? AttackPlan.quick() : AttackPlan.full());
    }

    /** Whether every proxy serves TLS on its data port, with a certificate the bench makes: so that HTTP/2 is ALPN's real path. */
    public boolean servesTls() {
        return this == ATTACK;
    }

    /** Why {@code kind} cannot take part in this scenario, or empty when it can. */
    public Optional<String> unsupported(SystemKind kind) {
        return this == ATTACK && !kind.hasProxy() ? Optional.of("no data port of its own to attack") : Optional.empty();
    }

    /** The retries and health checks nginx, HAProxy and {@code infergate-tuned} get; empty but for {@code faults}. */
    public Optional<Failover> failover() {
        return this == FAULTS ? Optional.of(FAULTS_FAILOVER) : Optional.empty();
    }

    /**
     * Whether each system gets a fleet of its own, started for it: so that faults start from healthy
     * servers, and prefix caches from empty ones.
     */
    public boolean freshFleetPerSystem() {
        return this == FAULTS || this == PREFIX;
    }

    /** Whether to read the fleet's prefix-cache counters around each system's measured run. */
    public boolean measuresPrefix() {
        return this == PREFIX;
    }

    /** {@code priority}'s two classes at their rates, or (without {@code flood}) the critical class alone. */
    private static Scenario priority(Scenario base, BenchFleet fleet, boolean flood) {
        RequestClass critical = classNamed(base, "critical");
        RequestClass sheddable = classNamed(base, "sheddable");
        double criticalRps = CRITICAL_SHARE_OF_CAPACITY * capacityFor(fleet, critical);
        double sheddableRps = FLOOD_TIMES_CAPACITY * capacityFor(fleet, sheddable);
        List<RequestClass> classes = flood
                ? List.of(critical.toBuilder().share(criticalRps).build(), sheddable.toBuilder().share(sheddableRps).build())
                : List.of(critical);
        return base.withClasses(classes).withArrival(ArrivalProcess.poisson(flood ? criticalRps + sheddableRps : criticalRps));
    }

    private static RequestClass classNamed(Scenario scenario, String name) {
        return scenario.classes().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(() ->
                new IllegalStateException("scenario '" + scenario.name() + "' has no class '" + name + "'"));
    }

    private static double capacityFor(BenchFleet fleet, RequestClass c) {
        return fleet.capacityRps(c.promptTokens().mean(), c.outputTokens().mean());
    }

    /**
     * Traffic sent to each system before the measured run, on the same connections, and forgotten. A full
     * {@code overhead} run warms up for 30 s: its figure is the gateway's warm CPU per request, and on a
     * core shared with the event loop the JIT's C2 compiler was still busy 20 s after the gateway started
     * (about 40 % of the core), a third of the CPU a 10 s warm-up left in the measured window.
     */
    public Duration warmup(boolean quick) {
        return switch (this) {
            case STREAMS, AUTOSCALE -> Duration.ZERO;
            case FAULTS -> quick ? Duration.ofSeconds(1) : Duration.ofSeconds(5);
            case OVERHEAD -> quick ? Duration.ofSeconds(1) : Duration.ofSeconds(30);
            default -> quick ? Duration.ofSeconds(1) : Duration.ofSeconds(10);
        };
    }

    /** Whether to read each proxy's CPU and memory during the measured run. */
    public boolean measuresProxy() {
        return this == OVERHEAD || this == STREAMS;
    }

    /** Offered rates, in increasing order, of the search for each system's highest sustained rate; empty when not searched. */
    public List<Double> rampRates(boolean quick) {
        if (this != OVERHEAD) {
            return List.of();
        }
        return quick ? List.of(2000.0, 4000.0)
                : List.of(2000.0, 4000.0, 6000.0, 8000.0, 10_000.0, 12_000.0, 16_000.0, 20_000.0, 24_000.0);
    }

    /** Length of each step of the rate search. */
    public Duration rampStep(boolean quick) {
        return quick ? Duration.ofSeconds(1) : Duration.ofSeconds(5);
    }
}
