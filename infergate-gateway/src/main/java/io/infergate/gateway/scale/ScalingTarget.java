package io.infergate.gateway.scale;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;

/**
 * What {@link PoolAutoscaler} needs of the gateway: the fleet as it stands, the gateway's own queue,
 * and a way to add and drain endpoints. {@link io.infergate.gateway.Gateway} implements it over its
 * fleet state, scrapers and probes.
 */
public interface ScalingTarget {

    /** The current fleet snapshot. */
    FleetSnapshot snapshot();

    /** The gateway's in-flight count for the endpoint in {@code slot}. */
    int inFlight(int slot);

    /** Requests for {@code model} waiting in the gateway's own queues. */
    int queued(String model);

    /** Requests the gateway has finished on the pool's endpoints since it started, however they ended. */
    long completedRequests(String pool);

    /** Adds a started node to the fleet: scraped, probed and routed to from now on. */
    void add(Endpoint endpoint);

    /** Sends no new requests to the endpoint; those in flight finish (or are retried elsewhere if it dies). */
    void drain(String endpointId);
}
