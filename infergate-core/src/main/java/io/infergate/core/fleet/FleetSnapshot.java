package io.infergate.core.fleet;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An immutable view of the whole fleet at one moment: every endpoint with its last known load.
 * Endpoints are addressed by <em>slot</em>, their index in this snapshot, so hot code works on
 * arrays. The gateway swaps a new snapshot in atomically when scrapes arrive; readers never lock.
 *
 * <pre>{@code
 * FleetSnapshot fleet = FleetSnapshot.of(List.of(a, b));
 * int[] slots = fleet.slotsServing("llama-3.1-8b-instruct");
 * FleetSnapshot next = fleet.withLoad(slots[0], scrapedLoad);
 * }</pre>
 */
public final class FleetSnapshot {

    private static final int[] NO_SLOTS = new int[0];

    private final Endpoint[] endpoints;
    private final EndpointLoad[] loads;
    /** Each endpoint's {@link Endpoint#capacityWeight()}, dense for the scheduler's inner loop. */
    private final double[] capacityWeights;
    /** What is learnt of each endpoint's batch capacity; see {@link #batchCapacity}. */
    private final CapacityEstimate[] capacityEstimates;
    private final Map<String, int[]> slotsByModel;
    private final Map<String, Integer> slotById;
    private final long version;

    private FleetSnapshot(Endpoint[] endpoints, EndpointLoad[] loads, double[] capacityWeights,
                          CapacityEstimate[] capacityEstimates, Map<String, int[]> slotsByModel,
                          Map<String, Integer> slotById, long version) {
        this.endpoints = endpoints;
        this.loads = loads;
        this.capacityWeights = capacityWeights;
        this.capacityEstimates = capacityEstimates;
        this.slotsByModel = slotsByModel;
        this.slotById = slotById;
        this.version = version;
    }

    /** A fleet whose endpoints have no load figures yet. Endpoint ids must be unique. */
    public static FleetSnapshot of(List<Endpoint> endpoints) {
        EndpointLoad[] loads = new EndpointLoad[endpoints.size()];
        Arrays.fill(loads, EndpointLoad.UNKNOWN);
        return of(endpoints, Arrays.asList(loads));
    }

    public static FleetSnapshot of(List<Endpoint> endpoints, List<EndpointLoad> loads) {
        if (endpoints.size() != loads.size()) {
            throw new IllegalArgumentException(
                    "loads: " + loads.size() + " (expected: one per endpoint, " + endpoints.size() + ")");
        }
        Endpoint[] eps = endpoints.toArray(Endpoint[]::new);
        Map<String, Integer> byId = new HashMap<>();
        Map<String, List<Integer>> byModel = new HashMap<>();
        for (int slot = 0; slot < eps.length; slot++) {
            Endpoint ep = Objects.requireNonNull(eps[slot], "endpoint");
            if (byId.putIfAbsent(ep.id(), slot) != null) {
                throw new IllegalArgumentException("endpoint id: " + ep.id() + " (expected: unique)");
            }
            for (String model : ep.models()) {
                byModel.computeIfAbsent(model, m -> new ArrayList<>()).add(slot);
            }
        }
        Map<String, int[]> slotsByModel = new HashMap<>();
        byModel.forEach((model, slots) ->
                slotsByModel.put(model, slots.stream().mapToInt(Integer::intValue).toArray()));
        double[] weights = Arrays.stream(eps).mapToDouble(Endpoint::capacityWeight).toArray();
        CapacityEstimate[] estimates = Arrays.stream(eps).map(CapacityEstimate::declared).toArray(CapacityEstimate[]::new);
        return new FleetSnapshot(eps, loads.toArray(EndpointLoad[]::new), weights, estimates, Map.copyOf(slotsByModel),
                Map.copyOf(byId), 0);
    }

    public int size() {
        return endpoints.length;
    }

    public Endpoint endpoint(int slot) {
        return endpoints[slot];
    }

    /** The capacity weight of the endpoint at {@code slot}: {@code endpoint(slot).capacityWeight()}, read faster. */
    public double capacityWeight(int slot) {
        return capacityWeights[slot];
    }

    public EndpointLoad load(int slot) {
        return loads[slot];
    }

    /**
     * How many requests the endpoint at {@code slot} runs at once, as learnt from its scrapes or declared
     * ({@link CapacityEstimate}); {@link BatchCapacity#UNKNOWN} when nothing is known. A configured
     * {@code max_requests_per_endpoint} is not part of it: flow control applies that one over this.
     */
    public BatchCapacity batchCapacity(int slot) {
        return capacityEstimates[slot].capacity();
    }

    public CapacityEstimate capacityEstimate(int slot) {
        return capacityEstimates[slot];
    }

    /** Slots of the endpoints that serve {@code model}; empty if none. Callers must not modify it. */
    public int[] slotsServing(String model) {
        return slotsByModel.getOrDefault(model, NO_SLOTS);
    }

    /** Slot of the endpoint with this id, or -1. */
    public int slotOf(String endpointId) {
        Integer slot = slotById.get(endpointId);
        return slot == null ? -1 : slot;
    }

    /** Every model some endpoint serves, in no particular order. */
    public Set<String> models() {
        return new LinkedHashSet<>(slotsByModel.keySet());
    }

    public List<Endpoint> endpoints() {
        return List.of(endpoints);
    }

    /** Increases with every derived snapshot; lets readers tell fresh data from old. */
    public long version() {
        return version;
    }

    /**
     * A copy with {@code endpoint} added in a new last slot; every other endpoint keeps its slot.
     *
     * @throws IllegalArgumentException when an endpoint with the same id is already there
     */
    public FleetSnapshot withEndpoint(Endpoint endpoint, EndpointLoad load) {
        List<Endpoint> nextEndpoints = new ArrayList<>(Arrays.asList(endpoints));
        nextEndpoints.add(endpoint);
        List<EndpointLoad> nextLoads = new ArrayList<>(Arrays.asList(loads));
        nextLoads.add(load);
        FleetSnapshot built = of(nextEndpoints, nextLoads);
        CapacityEstimate[] estimates = Arrays.copyOf(capacityEstimates, capacityEstimates.length + 1);
        estimates[estimates.length - 1] = built.capacityEstimates[estimates.length - 1];
        return new FleetSnapshot(built.endpoints, built.loads, built.capacityWeights, estimates, built.slotsByModel,
                built.slotById, version + 1);
    }

    /** A copy with one endpoint's load replaced; the endpoint set and slots stay the same. */
    public FleetSnapshot withLoad(int slot, EndpointLoad load) {
        EndpointLoad[] next = loads.clone();
        next[slot] = Objects.requireNonNull(load, "load");
        return new FleetSnapshot(endpoints, next, capacityWeights, capacityEstimates, slotsByModel, slotById, version + 1);
    }

    /** A copy with one endpoint's capacity estimate replaced; the endpoint set and slots stay the same. */
    public FleetSnapshot withCapacityEstimate(int slot, CapacityEstimate estimate) {
        CapacityEstimate[] next = capacityEstimates.clone();
        next[slot] = Objects.requireNonNull(estimate, "estimate");
        return new FleetSnapshot(endpoints, loads, capacityWeights, next, slotsByModel, slotById, version + 1);
    }
}
