package io.infergate.core.schedule;

import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;
import io.infergate.core.request.RoutingRequest;

import java.util.Set;

/**
 * The inputs of one pick, handed to every {@link Filter} and {@link Scorer}: the request, the fleet
 * snapshot, the gateway's live in-flight counts, the time and the endpoints the caller rules out.
 */
record PickContext(RoutingRequest request, FleetSnapshot fleet, InFlight inFlight, long nowNanos,
                   Set<String> excludedEndpointIds) {
}
