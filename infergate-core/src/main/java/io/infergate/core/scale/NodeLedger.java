package io.infergate.core.scale;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The books one pool's autoscaler keeps on its nodes, beyond what the fleet shows: when each node
 * started (or was first seen), the nodes asked of the provider that do not serve yet, the nodes released
 * and draining, and those released and stopped (a gateway may still list one until it is removed). New
 * nodes get the ids {@code PREFIX1}, {@code PREFIX2}, ..., skipping ids the fleet or a starting node has.
 *
 * <p>Not thread-safe: {@link PoolScaler} guards it.
 */
final class NodeLedger {

    /** A node asked of the provider at {@code requestedAtNanos}, not serving yet. */
    record Starting(NodeSpec spec, long requestedAtNanos) {
    }

    private final String idPrefix;
    private final Map<String, Long> startedAt = new HashMap<>();
    private final Map<String, Starting> starting = new LinkedHashMap<>();
    private final Map<String, Endpoint> releasing = new LinkedHashMap<>();
    private final Set<String> released = new HashSet<>();
    private int nextNumber = 1;

    NodeLedger(String idPrefix) {
        this.idPrefix = idPrefix;
    }

    /** An id for a new node that neither the fleet nor a starting node has. */
    String nextId(FleetSnapshot fleet) {
        String id;
        do {
            id = idPrefix + nextNumber++;
        } while (fleet.slotOf(id) >= 0 || starting.containsKey(id));
        return id;
    }

    void starting(NodeSpec spec, long nowNanos) {
        starting.put(spec.id(), new Starting(spec, nowNanos));
    }

    Collection<Starting> starting() {
        return starting.values();
    }

    /** The node serves: its age counts from when it was asked for. */
    void started(String nodeId) {
        Starting node = starting.remove(nodeId);
        if (node != null) {
            startedAt.put(nodeId, node.requestedAtNanos());
        }
    }

    void startFailed(String nodeId) {
        starting.remove(nodeId);
    }

    /** When the node started: as the books say, or {@code nowNanos} for a node seen the first time. */
    long startedAt(String nodeId, long nowNanos) {
        return startedAt.computeIfAbsent(nodeId, id -> nowNanos);
    }

    /** Whether the node was released and stopped: it no longer counts, wherever it is still listed. */
    boolean released(String nodeId) {
        return released.contains(nodeId);
    }

    /** Marks a node of {@code fleet} for release; false when it is not there or was stopped already. */
    boolean release(String nodeId, FleetSnapshot fleet) {
        int slot = fleet.slotOf(nodeId);
        if (slot < 0 || released.contains(nodeId)) {
            return false;
        }
        releasing.put(nodeId, fleet.endpoint(slot));
        return true;
    }

    /** The releasing nodes with no request left in flight, now counted as released: the provider stops them. */
    List<Endpoint> drained(FleetSnapshot fleet, InFlight inFlight) {
        List<Endpoint> done = new ArrayList<>();
        for (Endpoint endpoint : List.copyOf(releasing.values())) {
            int slot = fleet.slotOf(endpoint.id());
            if (slot >= 0 && inFlight.count(slot) > 0) {
                continue;
            }
            releasing.remove(endpoint.id());
            released.add(endpoint.id());
            done.add(endpoint);
        }
        return done;
    }
}
