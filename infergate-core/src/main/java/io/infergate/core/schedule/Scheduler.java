package io.infergate.core.schedule;

import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;
import io.infergate.core.health.SlowStart;
import io.infergate.core.request.RoutingRequest;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Chooses the endpoint for one request. A pick is a pure function of the request, the fleet
 * snapshot, the live in-flight counts and the time: no I/O, no wall clock, no locks, so the gateway
 * and the simulator run the very same code.
 *
 * <pre>{@code
 * Scheduler scheduler = Scheduler.loadAware(SchedulerConfig.defaults());
 * Pick pick = scheduler.pick(request, fleet, inFlight, ticker.read(), Set.of());
 * if (pick instanceof Pick.Chosen chosen) {
 *     proxyTo(fleet.endpoint(chosen.slot()));
 * }
 * }</pre>
 *
 * <p>Schedulers are safe to call from many threads at once. {@link #roundRobin()} keeps a counter
 * per model; a load-aware scheduler built with a {@link PrefixIndex} and a slow-start list reads
 * them (and its {@link #explain} reads the same); otherwise a pick is a pure function of its arguments.
 */
public interface Scheduler {

    /**
     * The default: filters out endpoints that do not accept requests or are excluded, scores the rest
     * by queue depth, load, KV-cache headroom and in-flight count as {@code config} weighs them, and
     * picks with {@link SchedulerConfig#picker()}. Randomness (tie-breaks, sampling) comes from a hash
     * of the request id and {@code nowNanos}, so the same inputs always give the same pick.
     */
    static Scheduler loadAware(SchedulerConfig config) {
        return PipelineScheduler.loadAware(config, null, List::of);
    }

    /**
     * The default scheduler with the state-reading parts: the {@code prefix-affinity} scorer reads
     * {@code prefixIndex} (which the caller {@link PrefixIndex#record records} into after each pick),
     * and the total score of each endpoint in {@code slowStarts.get()} is multiplied by its
     * {@link SlowStart#weight}. {@code slowStarts} is called once per pick and must be cheap: the
     * gateway passes {@code OutlierDetector::slowStarts}, an immutable list, empty most of the time.
     *
     * <pre>{@code
     * Scheduler scheduler = Scheduler.loadAware(SchedulerConfig.defaults(), prefixes, detector::slowStarts);
     * }</pre>
     *
     * @param prefixIndex where {@code prefix-affinity} looks prefixes up; null leaves that scorer out
     *                    whatever its weight
     */
    static Scheduler loadAware(SchedulerConfig config, PrefixIndex prefixIndex, Supplier<List<SlowStart>> slowStarts) {
        return PipelineScheduler.loadAware(config, prefixIndex, slowStarts);
    }

    /**
     * The classic baseline: each model's endpoints that accept requests, in turn. Skips endpoints
     * that are unhealthy, not ready or excluded; ignores load. {@link #explain} shows the endpoint
     * the next pick would take without advancing the turn.
     */
    static Scheduler roundRobin() {
        return PipelineScheduler.roundRobin();
    }

    /** The least-connections baseline: the endpoint with the fewest requests the gateway has in flight. */
    static Scheduler leastInFlight() {
        return PipelineScheduler.leastInFlight();
    }

    /**
     * The scheduler configured by name: {@code load-aware} (with {@link SchedulerConfig#defaults()}),
     * {@code round-robin} or {@code least-in-flight}.
     */
    static Scheduler named(String name) {
        Objects.requireNonNull(name, "name");
        return switch (name) {
            case PipelineScheduler.LOAD_AWARE -> loadAware(SchedulerConfig.defaults());
            case PipelineScheduler.ROUND_ROBIN -> roundRobin();
            case PipelineScheduler.LEAST_IN_FLIGHT -> leastInFlight();
            default -> throw new IllegalArgumentException("scheduler: '" + name + "' (expected one of: "
                    + String.join(", ", PipelineScheduler.NAMES) + ")");
        };
    }

    /**
     * Picks an endpoint for {@code request}.
     *
     * @param excludedEndpointIds endpoints not to pick, e.g. those a retry already failed on
     */
    Pick pick(RoutingRequest request, FleetSnapshot fleet, InFlight inFlight, long nowNanos,
              Set<String> excludedEndpointIds);

    /**
     * Explains a pick: every endpoint serving the model with the filter that removed it or its
     * per-scorer scores; its {@code chosenId} is what {@link #pick} returns for the same arguments.
     * Slower than {@link #pick}; called by the admin API, not on the request path.
     */
    PickExplanation explain(RoutingRequest request, FleetSnapshot fleet, InFlight inFlight, long nowNanos,
                            Set<String> excludedEndpointIds);

    /** A short name for logs and metrics, e.g. {@code load-aware}. */
    String name();
}
