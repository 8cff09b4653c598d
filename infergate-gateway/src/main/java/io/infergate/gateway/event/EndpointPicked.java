package io.infergate.gateway.event;

import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;
import io.infergate.core.request.RoutingRequest;

import java.util.Set;

/**
 * One pick of an endpoint for an attempt, with everything it was decided on, so that it can be explained
 * after the fact.
 *
 * @param request       what was routed
 * @param fleet         the snapshot it was routed on
 * @param inFlight      the in-flight counts at that moment (a frozen copy)
 * @param nowNanos      the ticker time of the pick
 * @param durationNanos how long the scheduler took
 * @param excluded      endpoints avoided: tried before, racing, or without room for the request's class
 * @param chosenId      the endpoint picked, or null when none could be
 * @param epochMillis   wall-clock time, for people reading the pick log
 */
public record EndpointPicked(RoutingRequest request, FleetSnapshot fleet, InFlight inFlight, long nowNanos,
                             long durationNanos, Set<String> excluded, String chosenId, long epochMillis) {
}
