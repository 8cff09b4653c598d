package io.infergate.loadgen.scenario;

import io.infergate.loadgen.arrival.ArrivalProcess;

import java.net.URI;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Everything a load run needs: where to send, when, what, and when to stop. Read from YAML with
 * {@link ScenarioFile}, or take a built-in one from {@link BuiltInScenarios}; command-line options
 * override fields with the {@code with...} methods.
 *
 * <pre>{@code
 * Scenario scenario = BuiltInScenarios.named("steady")
 *         .withTargets(List.of(URI.create("http://127.0.0.1:8080")))
 *         .withArrival(ArrivalProcess.poisson(20))
 *         .withDuration(Duration.ofSeconds(30));
 * }</pre>
 *
 * @param name        label in reports
 * @param targets     base URLs; requests go round robin over them and nowhere else
 * @param arrival     when requests are meant to leave
 * @param duration    no request is sent after this much time
 * @param maxRequests no more than this many requests are scheduled
 * @param maxInFlight safety cap: a request whose send time comes while this many are unanswered is not
 *                    sent and is counted as {@code dropped_by_client}; the schedule never waits
 * @param timeout     a request unanswered after this long (from its intended send time) fails as a timeout
 * @param seed        seed of every random choice, so a run can be repeated
 * @param classes     the request mix
 */
public record Scenario(
        String name,
        List<URI> targets,
        ArrivalProcess arrival,
        Duration duration,
        long maxRequests,
        int maxInFlight,
        Duration timeout,
        long seed,
        List<RequestClass> classes) {

    public Scenario {
        Objects.requireNonNull(name, "name");
        targets = List.copyOf(targets);
        for (URI target : targets) {
            requireHttpUrl(target);
        }
        Objects.requireNonNull(arrival, "arrival");
        requirePositive("duration", duration);
        if (maxRequests < 1) {
            throw new IllegalArgumentException("maxRequests: " + maxRequests + " (expected: >= 1)");
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight: " + maxInFlight + " (expected: >= 1)");
        }
        requirePositive("timeout", timeout);
        classes = List.copyOf(classes);
        if (classes.isEmpty()) {
            throw new IllegalArgumentException("classes: empty (expected: at least one request class)");
        }
        Set<String> names = new HashSet<>();
        for (RequestClass c : classes) {
            if (!names.add(c.name())) {
                throw new IllegalArgumentException("classes: name '" + c.name() + "' used twice (expected: unique names)");
            }
        }
    }

    public Scenario withName(String newName) {
        return new Scenario(newName, targets, arrival, duration, maxRequests, maxInFlight, timeout, seed, classes);
    }

    public Scenario withTargets(List<URI> newTargets) {
        return new Scenario(name, newTargets, arrival, duration, maxRequests, maxInFlight, timeout, seed, classes);
    }

    public Scenario withArrival(ArrivalProcess newArrival) {
        return new Scenario(name, targets, newArrival, duration, maxRequests, maxInFlight, timeout, seed, classes);
    }

    public Scenario withDuration(Duration newDuration) {
        return new Scenario(name, targets, arrival, newDuration, maxRequests, maxInFlight, timeout, seed, classes);
    }

    public Scenario withMaxRequests(long newMaxRequests) {
        return new Scenario(name, targets, arrival, duration, newMaxRequests, maxInFlight, timeout, seed, classes);
    }

    public Scenario withMaxInFlight(int newMaxInFlight) {
        return new Scenario(name, targets, arrival, duration, maxRequests, newMaxInFlight, timeout, seed, classes);
    }

    public Scenario withTimeout(Duration newTimeout) {
        return new Scenario(name, targets, arrival, duration, maxRequests, maxInFlight, newTimeout, seed, classes);
    }

    public Scenario withSeed(long newSeed) {
        return new Scenario(name, targets, arrival, duration, maxRequests, maxInFlight, timeout, newSeed, classes);
    }

    public Scenario withClasses(List<RequestClass> newClasses) {
        return new Scenario(name, targets, arrival, duration, maxRequests, maxInFlight, timeout, seed, newClasses);
    }

    /** The mean prompt length of the mix, in tokens, weighted by share. */
    public double meanPromptTokens() {
        return classes.stream().mapToDouble(c -> c.share() * c.promptTokens().mean()).sum() / totalShare();
    }

    /** The mean output length of the mix, in tokens, weighted by share. */
    public double meanOutputTokens() {
        return classes.stream().mapToDouble(c -> c.share() * c.outputTokens().mean()).sum() / totalShare();
    }

    /** The same scenario with every latency objective divided by {@code factor}: for servers running faster than real time. */
    public Scenario withSlosDividedBy(double factor) {
        if (!(factor > 0)) {
            throw new IllegalArgumentException("factor: " + factor + " (expected: > 0)");
        }
        return withClasses(classes.stream().map(c -> c.toBuilder().slo(new Slo(
                c.slo().ttft().map(d -> divide(d, factor)), c.slo().latency().map(d -> divide(d, factor)))).build()).toList());
    }

    private double totalShare() {
        return classes.stream().mapToDouble(RequestClass::share).sum();
    }

    private static Duration divide(Duration d, double factor) {
        return Duration.ofNanos(Math.max(1, Math.round(d.toNanos() / factor)));
    }

    /** Checks that a target is an absolute http or https URL with a host; used for every target a run is given. */
    public static URI requireHttpUrl(URI target) {
        Objects.requireNonNull(target, "target");
        if (!("http".equals(target.getScheme()) || "https".equals(target.getScheme())) || target.getHost() == null) {
            throw new IllegalArgumentException("target: " + target
                    + " (expected: an http or https URL such as http://127.0.0.1:8080)");
        }
        return target;
    }

    private static void requirePositive(String field, Duration d) {
        Objects.requireNonNull(d, field);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(field + ": " + d + " (expected: > 0)");
        }
    }
}
