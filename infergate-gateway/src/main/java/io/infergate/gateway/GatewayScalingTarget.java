package io.infergate.gateway;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.gateway.config.PoolConfig;
import io.infergate.gateway.fleet.FleetState;
import io.infergate.gateway.flow.FlowGate;
import io.infergate.gateway.membership.FleetMembership;
import io.infergate.gateway.observe.GatewayMetrics;
import io.infergate.gateway.scale.ScalingTarget;
import io.micrometer.core.instrument.Timer;

import java.net.URI;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The gateway as the autoscaler sees it: the fleet, the flow gate's queues, the request counts, and
 * {@link FleetMembership} to add nodes (slot, gauges, scrapes of its metrics page, read for the pool's
 * server metrics and for DCGM figures, probes, outlier detection) and to release them (drained, then
 * removed once idle).
 */
final class GatewayScalingTarget implements ScalingTarget {

    private final FleetState fleet;
    private final GatewayMetrics metrics;
    private final FleetMembership members;
    private final FlowGate flow;
    private final Map<String, PoolConfig> pools;

    GatewayScalingTarget(FleetState fleet, GatewayMetrics metrics, FleetMembership members, FlowGate flow,
                         Map<String, PoolConfig> pools) {
        this.fleet = fleet;
        this.metrics = metrics;
        this.members = members;
        this.flow = flow;
        this.pools = Map.copyOf(pools);
    }

    @Override
    public FleetSnapshot snapshot() {
        return fleet.snapshot();
    }

    @Override
    public int inFlight(int slot) {
        return fleet.count(slot);
    }

    @Override
    public int queued(String model) {
        return flow.queuedFor(model);
    }

    @Override
    public long completedRequests(String pool) {
        Set<String> ids = new HashSet<>();
        for (Endpoint endpoint : fleet.snapshot().endpoints()) {
            if (endpoint.pool().equals(pool)) {
                ids.add(endpoint.id());
            }
        }
        long total = 0;
        for (Timer timer : metrics.registry().find("infergate.request.duration").timers()) {
            if (ids.contains(timer.getId().getTag("endpoint"))) {
                total += timer.count();
            }
        }
        return total;
    }

    @Override
    public void add(Endpoint endpoint) {
        PoolConfig pool = pools.get(endpoint.pool());
        if (pool == null) {
            throw new IllegalArgumentException("endpoint pool: " + endpoint.pool() + " (expected: one of " + pools.keySet() + ")");
        }
        // Emulated nodes and many deployments put the DCGM figures on the server's own metrics page.
        URI metricsUrl = URI.create(endpoint.url() + "/metrics");
        members.add(endpoint, pool.type(), metricsUrl, Optional.of(metricsUrl));
    }

    @Override
    public void drain(String endpointId) {
        members.remove(endpointId);
    }
}
