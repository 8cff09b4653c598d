package io.infergate.gateway.membership;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.health.OutlierDetector;
import io.infergate.gateway.config.ServerType;
import io.infergate.gateway.fleet.FleetState;
import io.infergate.gateway.fleet.HealthProber;
import io.infergate.gateway.fleet.MetricMapping;
import io.infergate.gateway.fleet.MetricsScraper;
import io.infergate.gateway.fleet.ScrapeTarget;
import io.infergate.gateway.fleet.ScrapedFigures;
import io.infergate.gateway.observe.GatewayMetrics;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * Endpoints joining and leaving the running gateway. One that joins gets a slot in the fleet state,
 * its gauges, scrapes of its metrics (and its GPU exporter's), health probes and outlier detection.
 * One that leaves is drained at once, so it gets no new requests while those it has finish; when the
 * last has finished, {@link #sweep} removes it: no more scrapes, probes or meters, and
 * {@link Lifecycle#REMOVED} in the snapshot (its slot is never reused, so slot-indexed state stays valid).
 *
 * <pre>{@code
 * FleetMembership members = new FleetMembership(fleet, scraped, metrics, scraper, prober, detector, id -> { });
 * members.add(endpoint, ServerType.VLLM, URI.create(url + "/metrics"), Optional.empty());
 * members.remove("eu-3");          // drained now
 * members.sweep();                 // on a timer: removed once idle
 * }</pre>
 *
 * <p>Thread-safe: every method locks.
 */
public final class FleetMembership {

    private static final Logger LOG = Logger.getLogger(FleetMembership.class.getName());

    private final FleetState fleet;
    private final ScrapedFigures scraped;
    private final GatewayMetrics metrics;
    private final MetricsScraper scraper;
    private final HealthProber prober;
    private final OutlierDetector detector;
    private final Consumer<String> removed;
    /** Endpoints draining on their way out, by id. */
    private final Set<String> leaving = new HashSet<>();

    /** @param removed hears the id of each endpoint removed from the fleet (the latency predictor forgets it) */
    public FleetMembership(FleetState fleet, ScrapedFigures scraped, GatewayMetrics metrics, MetricsScraper scraper,
                           HealthProber prober, OutlierDetector detector, Consumer<String> removed) {
        this.removed = removed;
        this.fleet = fleet;
        this.scraped = scraped;
        this.metrics = metrics;
        this.scraper = scraper;
        this.prober = prober;
        this.detector = detector;
    }

    /**
     * Adds {@code endpoint}, of server type {@code type}, scraped at {@code metricsUrl} (and its GPUs at
     * {@code gpuMetricsUrl}). An endpoint on its way out is kept instead (back to ready); one removed
     * before comes back in its old slot, if its settings are the same. Returns the endpoint's slot.
     *
     * @throws IllegalArgumentException when a removed endpoint comes back with other settings
     */
    public synchronized int add(Endpoint endpoint, ServerType type, URI metricsUrl, Optional<URI> gpuMetricsUrl) {
        FleetSnapshot snapshot = fleet.snapshot();
        int slot = snapshot.slotOf(endpoint.id());
        if (slot >= 0 && leaving.remove(endpoint.id())) {
            fleet.updateLoad(slot, load -> load.withLifecycle(Lifecycle.READY));
            return slot;
        }
        if (slot >= 0 && snapshot.load(slot).lifecycle() != Lifecycle.REMOVED) {
            return slot;
        }
        if (slot >= 0 && !snapshot.endpoint(slot).equals(endpoint)) {
            throw new IllegalArgumentException("endpoint '" + endpoint.id() + "' left the fleet with other settings"
                    + " (expected: the same url and fields to come back; a restart applies new ones)");
        }
        if (slot >= 0) {
            fleet.updateLoad(slot, load -> EndpointLoad.UNKNOWN);
        } else {
            scraped.addSlot();
            slot = fleet.add(endpoint);
        }
        int added = slot;
        metrics.registerEndpointGauges(fleet, scraped, added, endpoint);
        scraper.add(ScrapeTarget.server(added, metricsUrl, MetricMapping.forServerType(type.configName())));
        gpuMetricsUrl.ifPresent(url -> scraper.add(ScrapeTarget.gpuExporter(added, url)));
        prober.add(new HealthProber.Target(endpoint.id(), endpoint.url().resolve(type.healthPath())));
        detector.track(present());
        LOG.info(() -> "endpoint '" + endpoint.id() + "' joined pool '" + endpoint.pool() + "'");
        return added;
    }

    /** Drains {@code endpointId} now and removes it once idle; false when there is no such endpoint. */
    public synchronized boolean remove(String endpointId) {
        int slot = fleet.snapshot().slotOf(endpointId);
        if (slot < 0 || fleet.snapshot().load(slot).lifecycle() == Lifecycle.REMOVED) {
            return false;
        }
        fleet.updateLoad(slot, load -> load.withLifecycle(Lifecycle.DRAINING));
        leaving.add(endpointId);
        LOG.info(() -> "endpoint '" + endpointId + "' draining: it leaves once its requests have finished");
        return true;
    }

    /** Whether {@code endpointId} drains to leave the fleet: it is removed once idle. */
    public synchronized boolean leaving(String endpointId) {
        return leaving.contains(endpointId);
    }

    /** Removes the leaving endpoints that have no request in flight any more. */
    public synchronized void sweep() {
        if (leaving.isEmpty()) {
            return;
        }
        FleetSnapshot snapshot = fleet.snapshot();
        for (String id : List.copyOf(leaving)) {
            int slot = snapshot.slotOf(id);
            if (fleet.count(slot) == 0) {
                leaving.remove(id);
                fleet.updateLoad(slot, load -> load.withLifecycle(Lifecycle.REMOVED));
                scraper.retire(slot);
                prober.retire(id);
                metrics.removeEndpointMeters(id);
                removed.accept(id);
                detector.track(present());
                LOG.info(() -> "endpoint '" + id + "' removed from the fleet");
            }
        }
    }

    /** The endpoints not removed. */
    private List<Endpoint> present() {
        FleetSnapshot snapshot = fleet.snapshot();
        List<Endpoint> present = new ArrayList<>(snapshot.size());
        for (int slot = 0; slot < snapshot.size(); slot++) {
            if (snapshot.load(slot).lifecycle() != Lifecycle.REMOVED) {
                present.add(snapshot.endpoint(slot));
            }
        }
        return present;
    }
}
