package io.infergate.core.schedule;

import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;
import io.infergate.core.request.RoutingRequest;

import java.util.Set;

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
 */
public interface Scheduler {

    /**
     * Picks an endpoint for {@code request}.
     *
     * @param excludedEndpointIds endpoints not to pick, e.g. those a retry already failed on
     */
    Pick pick(RoutingRequest request, FleetSnapshot fleet, InFlight inFlight, long nowNanos,
              Set<String> excludedEndpointIds);

    /**
     * Explains a pick: every endpoint of the fleet with the filter that removed it or its per-scorer
     * scores. Slower than {@link #pick}; called by the admin API, not on the request path.
     */
    PickExplanation explain(RoutingRequest request, FleetSnapshot fleet, InFlight inFlight, long nowNanos,
                            Set<String> excludedEndpointIds);

    /** A short name for logs and metrics, e.g. {@code load-aware}. */
    String name();
}
