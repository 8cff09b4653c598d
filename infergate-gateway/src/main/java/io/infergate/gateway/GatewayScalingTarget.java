package io.infergate.gateway;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.health.OutlierDetector;
import io.infergate.gateway.config.PoolConfig;
import io.infergate.gateway.fleet.FleetState;
import io.infergate.gateway.fleet.HealthProber;
import io.infergate.gateway.fleet.MetricMapping;
import io.infergate.gateway.fleet.MetricsScraper;
import io.infergate.gateway.fleet.ScrapeTarget;
import io.infergate.gateway.fleet.ScrapedFigures;
import io.infergate.gateway.flow.FlowGate;
import io.infergate.gateway.observe.GatewayMetrics;
import io.infergate.gateway.scale.ScalingTarget;
import io.micrometer.core.instrument.Timer;

import java.net.URI;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The gateway as the autoscaler sees it: a node it adds gets a slot in the fleet state, its gauges, a
 * scrape of its metrics page (read for the pool's server metrics and for DCGM figures, which emulated
 * nodes and many deployments put on the same page), health probes and outlier detection.
 */
final class GatewayScalingTarget implements ScalingTarget {

    private final FleetState fleet;
    private final ScrapedFigures scraped;
    private final GatewayMetrics metrics;
    private final MetricsScraper scraper;
    private final HealthProber prober;
    private final OutlierDetector detector;
    private final FlowGate flow;
    private final Map<String, PoolConfig> pools;

    GatewayScalingTarget(FleetState fleet, ScrapedFigures scraped, GatewayMetrics metrics, MetricsScraper scraper,
                         HealthProber prober, OutlierDetector detector, FlowGate flow, Map<String, PoolConfig> pools) {
        this.fleet = fleet;
        this.scraped = scraped;
        this.metrics = metrics;
        this.scraper = scraper;
        this.prober = prober;
        this.detector = detector;
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
    public synchronized void add(Endpoint endpoint) {
        PoolConfig pool = pools.get(endpoint.pool());
        if (pool == null) {
            throw new IllegalArgumentException("endpoint pool: " + endpoint.pool() + " (expected: one of " + pools.keySet() + ")");
        }
        scraped.addSlot();
        int slot = fleet.add(endpoint);
        metrics.registerEndpointGauges(fleet, scraped, slot, endpoint);
        URI metricsUrl = URI.create(endpoint.url() + "/metrics");
        scraper.add(ScrapeTarget.server(slot, metricsUrl, MetricMapping.forServerType(pool.type().configName())));
        scraper.add(ScrapeTarget.gpuExporter(slot, metricsUrl));
        detector.track(fleet.snapshot().endpoints());
        prober.add(new HealthProber.Target(endpoint.id(), endpoint.url().resolve(pool.type().healthPath())));
    }

    @Override
    public void drain(String endpointId) {
        int slot = fleet.snapshot().slotOf(endpointId);
        if (slot >= 0) {
            fleet.updateLoad(slot, load -> load.withLifecycle(Lifecycle.DRAINING));
        }
    }
}
