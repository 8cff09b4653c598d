package io.infergate.gateway;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.scale.PoolReading;
import io.infergate.gateway.config.EndpointConfig;
import io.infergate.gateway.config.PoolConfig;
import io.infergate.gateway.fleet.FleetState;
import io.infergate.gateway.flow.FlowGate;
import io.infergate.gateway.membership.FleetMembership;
import io.infergate.gateway.observe.GatewayMetrics;
import io.infergate.gateway.scale.ScalingTarget;
import io.micrometer.core.instrument.Timer;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
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
    public PoolReading read(String pool) {
        FleetSnapshot snapshot = fleet.snapshot();
        int queued = 0;
        for (String model : pool(pool).models()) {
            queued += flow.queuedFor(model);
        }
        return new PoolReading(snapshot, fleet, queued, completedRequests(snapshot, pool), List.of());
    }

    /** Requests the gateway has finished on the pool's endpoints since it started, however they ended. */
    private long completedRequests(FleetSnapshot snapshot, String pool) {
        Set<String> ids = new HashSet<>();
        for (Endpoint endpoint : snapshot.endpoints()) {
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
        PoolConfig pool = pool(endpoint.pool());
        EndpointConfig node = EndpointConfig.ofNode(endpoint);
        members.add(endpoint, pool.type(), node.metricsUrl(), node.gpuMetricsUrl());
    }

    @Override
    public void drain(String endpointId) {
        members.remove(endpointId);
    }

    private PoolConfig pool(String name) {
        PoolConfig pool = pools.get(name);
        if (pool == null) {
            throw new IllegalArgumentException("pool: " + name + " (expected: one of " + pools.keySet() + ")");
        }
        return pool;
    }
}
