package io.infergate.loadgen.scenario;

import io.infergate.loadgen.arrival.ArrivalProcess;
import io.infergate.loadgen.arrival.Spacing;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The scenarios shipped with infergate, by name. They carry no target: {@code --target} or the bench
 * supplies it. Rates suit a small emulated fleet; {@code --rate} changes them.
 *
 * <ul>
 *   <li>{@code steady}: streamed chat, short and long, and a few small completions, Poisson arrivals;</li>
 *   <li>{@code burst}: the same mix at a base rate with 5× bursts for 10 s of every 60 s;</li>
 *   <li>{@code overhead}: tiny completions (16 prompt tokens, 1 output token) at a fixed rate, to measure
 *       what a proxy adds;</li>
 *   <li>{@code streams}: long, slow streams, to hold many connections open at once;</li>
 *   <li>{@code priority}: critical short requests mixed with a flood of sheddable long ones;</li>
 *   <li>{@code faults}: short chat requests, not streamed (so any failed attempt can be retried), at a
 *       steady Poisson rate;</li>
 *   <li>{@code prefix}: multi-turn chat, 63 conversations at once sharing a 1000-token system prompt,
 *       each turn resending the conversation so far.</li>
 * </ul>
 *
 * <pre>{@code
 * Scenario steady = BuiltInScenarios.named("steady");
 * }</pre>
 */
public final class BuiltInScenarios {

    /** The model every built-in scenario asks for; the emulated fleets serve it. */
    public static final String MODEL = "llama-3.1-8b-instruct";

    private static final Map<String, Supplier<Scenario>> SCENARIOS = Map.of(
            "steady", BuiltInScenarios::steady,
            "burst", BuiltInScenarios::burst,
            "overhead", BuiltInScenarios::overhead,
            "streams", BuiltInScenarios::streams,
            "priority", BuiltInScenarios::priority,
            "faults", BuiltInScenarios::faults,
            "prefix", BuiltInScenarios::prefix);

    private BuiltInScenarios() {
    }

    /** The names, sorted. */
    public static List<String> names() {
        return SCENARIOS.keySet().stream().sorted().toList();
    }

    public static boolean exists(String name) {
        return SCENARIOS.containsKey(name);
    }

    public static Scenario named(String name) {
        Supplier<Scenario> scenario = SCENARIOS.get(name);
        if (scenario == null) {
            throw new IllegalArgumentException("scenario: '" + name + "' (expected: a YAML file or one of " + names() + ")");
        }
        return scenario.get();
    }

    private static Scenario steady() {
        return scenario("steady", ArrivalProcess.poisson(20), chatMix());
    }

    private static Scenario burst() {
        return scenario("burst", ArrivalProcess.bursts(10, 5, 10, 60, Spacing.POISSON), chatMix());
    }

    private static Scenario overhead() {
        RequestClass tiny = RequestClass.builder("tiny", MODEL)
                .endpoint(EndpointKind.COMPLETIONS)
                .prompt(new Distribution.Fixed(16)).output(new Distribution.Fixed(1))
                .slo(Slo.of(null, Duration.ofMillis(10)))
                .build();
        return scenario("overhead", ArrivalProcess.constant(1000), List.of(tiny));
    }

    private static Scenario streams() {
        RequestClass slow = RequestClass.builder("slow-stream", MODEL)
                .prompt(new Distribution.Fixed(32)).output(new Distribution.Fixed(2000)).stream(true)
                .build();
        return scenario("streams", ArrivalProcess.constant(500), List.of(slow))
                .withDuration(Duration.ofSeconds(20))
                .withMaxRequests(10_000)
                .withMaxInFlight(12_000)
                .withTimeout(Duration.ofMinutes(10));
    }

    private static Scenario priority() {
        RequestClass critical = RequestClass.builder("critical", MODEL)
                .share(0.1).prompt(new Distribution.Uniform(50, 150)).output(new Distribution.Fixed(16))
                .stream(true).priority("critical").tenant("fraud")
                .slo(Slo.of(Duration.ofMillis(300), Duration.ofSeconds(2)))
                .build();
        RequestClass sheddable = RequestClass.builder("sheddable", MODEL)
                .share(0.9).prompt(new Distribution.Uniform(500, 1500)).output(new Distribution.Normal(400, 100))
                .stream(true).priority("sheddable").tenant("images")
                .slo(Slo.of(Duration.ofSeconds(5), null))
                .build();
        return scenario("priority", ArrivalProcess.poisson(30), List.of(critical, sheddable));
    }

    private static Scenario faults() {
        RequestClass chat = RequestClass.builder("chat", MODEL)
                .prompt(new Distribution.Uniform(100, 300)).output(new Distribution.Fixed(48))
                .build();
        return scenario("faults", ArrivalProcess.poisson(50), List.of(chat)).withTimeout(Duration.ofSeconds(10));
    }

    private static Scenario prefix() {
        RequestClass turn = RequestClass.builder("chat-turn", MODEL)
                .prompt(new Distribution.Uniform(50, 150)).output(new Distribution.Uniform(50, 150)).stream(true)
                // 63, not 64: a count prime to the fleet's size, so that a client-side round robin over
                // four servers does not send every turn of a conversation to the same one by accident
                .conversation(new Conversation(63, 1000, 8))
                .build();
        return scenario("prefix", ArrivalProcess.poisson(20), List.of(turn));
    }

    private static List<RequestClass> chatMix() {
        RequestClass shortChat = RequestClass.builder("chat-short", MODEL)
                .share(0.6).prompt(new Distribution.Uniform(50, 300)).output(new Distribution.Normal(120, 40))
                .stream(true).priority("standard")
                .slo(Slo.of(Duration.ofSeconds(1), Duration.ofSeconds(10)))
                .build();
        RequestClass longChat = RequestClass.builder("chat-long", MODEL)
                .share(0.3).prompt(new Distribution.Uniform(500, 1500)).output(new Distribution.Normal(400, 100))
                .stream(true).priority("standard")
                .slo(Slo.of(Duration.ofSeconds(2), Duration.ofSeconds(30)))
                .build();
        RequestClass completion = RequestClass.builder("completion", MODEL)
                .share(0.1).endpoint(EndpointKind.COMPLETIONS)
                .prompt(new Distribution.Fixed(200)).output(new Distribution.Fixed(32))
                .slo(Slo.of(null, Duration.ofSeconds(2)))
                .build();
        return List.of(shortChat, longChat, completion);
    }

    private static Scenario scenario(String name, ArrivalProcess arrival, List<RequestClass> classes) {
        return new Scenario(name, List.of(), arrival, Duration.ofSeconds(60), Long.MAX_VALUE, 10_000,
                Duration.ofSeconds(120), 1, classes);
    }
}
