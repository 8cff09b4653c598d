package io.infergate.core.flow;

import io.infergate.core.fleet.BatchCapacity;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;

import java.util.HashSet;
import java.util.Set;

/**
 * When a pool counts as saturated: each endpoint takes requests until its queue, its KV-cache use
 * or its total load (waiting and running) passes a threshold; the pool is saturated for a class when no
 * endpoint serving the model has room left. Lower classes see every threshold multiplied by
 * {@code 1 - reservedShare} (count thresholds rounded down, but never below 1), so the highest class
 * keeps room after they are stopped.
 *
 * <p>Figures come from the endpoint's last scrape, corrected by what the gateway sent since:
 * {@code sent = inFlight - inFlightAtScrape}. The queue is estimated as {@code waiting + max(0, sent)}
 * (a request sent since the scrape may have had to wait), the load as {@code waiting + running + sent},
 * and never less than the gateway's own in-flight count (a request the server has not yet reported,
 * or will never report because it hangs, still takes its place).
 * The bound on the load is {@code maxRequestsPerEndpoint} when configured, else the endpoint's learnt batch
 * capacity ({@link FleetSnapshot#batchCapacity}), else none: so by default no request is sent to a server
 * whose batch is full, and none waits in its own first-come queue, where a later request of a higher
 * class could not overtake it.
 * When the scrape is stale or the server does not export a figure, that figure does not limit, except
 * that the load is then the gateway's own in-flight count. Endpoints that do not accept requests
 * (unhealthy, starting, draining) offer no room; when none of the pool's endpoints accepts requests,
 * the headroom is {@link Headroom#UNLIMITED}, so that requests reach the scheduler, which answers at once
 * rather than letting them wait for endpoints that may not come back.
 *
 * <pre>{@code
 * SaturationThresholds thresholds = new SaturationThresholds(5, 0.8, 0);
 * Headroom room = thresholds.headroom(fleet, inFlight, fleet.slotsServing("llama"), 0.2);
 * Set<String> avoid = thresholds.full(fleet, inFlight, fleet.slotsServing("llama"), triedIds, 0.2, false);
 * }</pre>
 *
 * @param maxWaitingPerEndpoint  most requests waiting on one endpoint, {@code >= 1}
 * @param maxKvCacheUsage        highest KV-cache use of one endpoint, in (0, 1]
 * @param maxRequestsPerEndpoint most requests waiting and running on one endpoint (per unit of capacity
 *                               weight), or 0 to bound each endpoint by its learnt batch capacity
 */
public record SaturationThresholds(int maxWaitingPerEndpoint, double maxKvCacheUsage, int maxRequestsPerEndpoint) {

    /** Five waiting, 80 % KV cache, the load bounded by each endpoint's learnt batch capacity. */
    public static final SaturationThresholds DEFAULT = new SaturationThresholds(5, 0.8, 0);

    public SaturationThresholds {
        if (maxWaitingPerEndpoint < 1) {
            throw new IllegalArgumentException("maxWaitingPerEndpoint: " + maxWaitingPerEndpoint + " (expected: >= 1)");
        }
        if (!(maxKvCacheUsage > 0 && maxKvCacheUsage <= 1)) {
            throw new IllegalArgumentException("maxKvCacheUsage: " + maxKvCacheUsage + " (expected: > 0 and <= 1)");
        }
        if (maxRequestsPerEndpoint < 0) {
            throw new IllegalArgumentException("maxRequestsPerEndpoint: " + maxRequestsPerEndpoint
                    + " (expected: >= 0, 0 for each endpoint's learnt batch capacity)");
        }
    }

    /**
     * The room left on the endpoints at {@code slots}.
     *
     * @param reservedShare share of every threshold kept for the highest class, in [0, 1)
     */
    public Headroom headroom(FleetSnapshot fleet, InFlight inFlight, int[] slots, double reservedShare) {
        if (!(reservedShare >= 0 && reservedShare < 1)) {
            throw new IllegalArgumentException("reservedShare: " + reservedShare + " (expected: >= 0 and < 1)");
        }
        long highest = 0;
        long lower = 0;
        boolean anyAccepting = false;
        for (int slot : slots) {
            EndpointLoad load = fleet.load(slot);
            if (!load.acceptsRequests()) {
                continue;
            }
            anyAccepting = true;
            int live = inFlight.count(slot);
            double weight = fleet.capacityWeight(slot);
            highest += room(load, live, 1.0, weight, fleet.batchCapacity(slot));
            lower += room(load, live, 1.0 - reservedShare, weight, fleet.batchCapacity(slot));
        }
        if (!anyAccepting) {
            return Headroom.UNLIMITED;
        }
        return new Headroom((int) Math.min(Integer.MAX_VALUE, highest), (int) Math.min(Integer.MAX_VALUE, lower));
    }

    /**
     * The ids of the endpoints at {@code slots} that this request may use (not in {@code excludedEndpointIds},
     * e.g. those a retry already failed on) and that accept requests but have no room left for a request of
     * the highest class ({@code highest}) or of a lower one: the ones a scheduler should avoid for it, besides
     * the excluded ones. Empty when none of the usable endpoints has room, so that avoiding these never
     * leaves the scheduler without a candidate it would have had with {@code excludedEndpointIds} alone.
     */
    public Set<String> full(FleetSnapshot fleet, InFlight inFlight, int[] slots, Set<String> excludedEndpointIds,
                            double reservedShare, boolean highest) {
        // The endpoints reasoned over are exactly those the scheduler's hard filters keep (AcceptsRequestsFilter,
        // NotExcludedFilter); DedicatedForCriticalFilter is soft, never leaving none. So when one of them has
        // room, avoiding the full ones still leaves it: the gateway needs no second pick without the avoidance.
        double factor = highest ? 1.0 : 1.0 - reservedShare;
        Set<String> full = new HashSet<>();
        boolean anyRoom = false;
        for (int slot : slots) {
            EndpointLoad load = fleet.load(slot);
            String id = fleet.endpoint(slot).id();
            if (!load.acceptsRequests() || excludedEndpointIds.contains(id)) {
                continue;
            }
            if (room(load, inFlight.count(slot), factor, fleet.capacityWeight(slot), fleet.batchCapacity(slot)) > 0) {
                anyRoom = true;
            } else {
                full.add(id);
            }
        }
        return anyRoom ? full : Set.of();
    }

    /**
     * The most requests, waiting and running, that flow control lets the endpoint at {@code slot} hold: the
     * configured {@code maxRequestsPerEndpoint} (times the endpoint's capacity weight), else its learnt batch
     * capacity, else {@link BatchCapacity#UNKNOWN} (no bound).
     */
    public BatchCapacity requestBound(FleetSnapshot fleet, int slot) {
        if (maxRequestsPerEndpoint > 0) {
            return new BatchCapacity((int) scaled(maxRequestsPerEndpoint, fleet.capacityWeight(slot)),
                    BatchCapacity.Source.CONFIGURED);
        }
        return fleet.batchCapacity(slot);
    }

    /**
     * Requests one endpoint can still take with every threshold multiplied by {@code share} (the share a
     * lower class may use) and the configured count thresholds also by the endpoint's capacity {@code weight}
     * (a learnt {@code capacity} is already the whole endpoint's).
     */
    private int room(EndpointLoad load, int inFlight, double share, double weight, BatchCapacity capacity) {
        boolean fresh = !load.stale();
        if (fresh && load.kvCacheUsage() >= maxKvCacheUsage * share) {
            return 0;
        }
        double factor = share * weight;
        int sentSinceScrape = inFlight - load.inFlightAtScrape();
        boolean queueKnown = fresh && load.waiting() >= 0;
        long waiting = queueKnown ? load.waiting() + Math.max(0, sentSinceScrape) : 0;
        long room = scaled(maxWaitingPerEndpoint, factor) - waiting;
        long bound = maxRequestsPerEndpoint > 0 ? scaled(maxRequestsPerEndpoint, factor)
                : capacity.known() ? scaled(capacity.requests(), share) : 0;
        if (bound > 0) {
            long requests = queueKnown && load.running() >= 0
                    ? Math.max(inFlight, load.waiting() + load.running() + sentSinceScrape)
                    : inFlight;
            room = Math.min(room, bound - requests);
        }
        return (int) Math.max(0, room);
    }

    /** A count threshold scaled down for lower classes, rounded down but never below 1, so they are never locked out. */
    private static long scaled(int threshold, double factor) {
        return Math.max(1, (long) Math.floor(threshold * factor + 1e-9));
    }
}
