package io.infergate.core.scale;

import io.infergate.core.fleet.Lifecycle;

import java.util.List;
import java.util.Objects;

/**
 * Everything the {@link Autoscaler} looks at for one pool on one evaluation.
 *
 * <pre>{@code
 * PoolState pool = new PoolState(nodes, idleNodes, "eu-west",
 *         List.of(RegionRoom.unlimited("eu-west"), RegionRoom.unlimited("us-east")), queueLength, inService);
 * }</pre>
 *
 * @param nodes       the nodes serving the pool (starting, ready or draining)
 * @param idle        provisioned nodes that serve nothing yet: the hot-plug rule's first choice
 * @param homeRegion  the pool's own region: new nodes go there before any other region
 * @param room        where the provider can start new nodes, home region and others, in preference order
 * @param queueLength requests waiting for the pool: queued on the servers and in the gateway
 * @param inService   requests being served by the pool's nodes; with the queue, what the pool holds, whose
 *                    growth is arrivals minus completions
 */
public record PoolState(List<Node> nodes, List<Node> idle, String homeRegion, List<RegionRoom> room, int queueLength,
                        int inService) {

    public PoolState {
        nodes = List.copyOf(nodes);
        idle = List.copyOf(idle);
        Objects.requireNonNull(homeRegion, "homeRegion");
        room = List.copyOf(room);
        if (queueLength < 0) {
            throw new IllegalArgumentException("queueLength: " + queueLength + " (expected: >= 0)");
        }
        if (inService < 0) {
            throw new IllegalArgumentException("inService: " + inService + " (expected: >= 0)");
        }
    }

    /**
     * A pool with no idle nodes whose provider can start any number of nodes in its home region, and
     * nothing in service.
     */
    public static PoolState of(List<Node> nodes, String homeRegion, int queueLength) {
        return new PoolState(nodes, List.of(), homeRegion, List.of(RegionRoom.unlimited(homeRegion)), queueLength, 0);
    }

    /** Requests the pool holds: waiting or in service. */
    public int held() {
        return queueLength + inService;
    }

    /** Nodes that count toward the pool's size: starting or ready. */
    public int committedNodes() {
        int n = 0;
        for (Node node : nodes) {
            if (node.committed()) {
                n++;
            }
        }
        return n;
    }

    /** Mean utilisation of the ready nodes that report one, 0..1; {@link Double#NaN} when none does. */
    public double utilisation() {
        double sum = 0;
        int known = 0;
        for (Node node : nodes) {
            if (node.lifecycle() == Lifecycle.READY && !Double.isNaN(node.utilisation())) {
                sum += node.utilisation();
                known++;
            }
        }
        return known == 0 ? Double.NaN : sum / known;
    }

    /** What the committed nodes cost per hour, in dollars. */
    public double costPerHour() {
        double sum = 0;
        for (Node node : nodes) {
            if (node.committed()) {
                sum += node.pricePerHour();
            }
        }
        return sum;
    }
}
