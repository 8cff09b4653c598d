package io.infergate.core.scale;

import io.infergate.core.fleet.CapacityKind;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Which nodes a decision names: for an add, the hot-plug rule's preference (idle node, then a new node
 * in the home region, then one in another region) with the kind {@link HybridPool} asks for; for a
 * release, the oldest committed nodes first, so nodes that have run longer than 24 hours always go
 * before younger ones, keeping the dedicated floor.
 */
final class NodeSelection {

    private static final Comparator<Node> OLDEST_FIRST =
            Comparator.comparingLong(Node::startedAtNanos).thenComparing(Node::id);

    private NodeSelection() {
    }

    /** Up to {@code count} nodes to add, in preference order; fewer when the provider has no more room. */
    static List<NodeChoice> toAdd(PoolState pool, int count, HybridPool hybrid) {
        List<NodeChoice> chosen = new ArrayList<>(count);
        int dedicated = committed(pool, CapacityKind.DEDICATED);
        int preemptible = committed(pool, CapacityKind.PREEMPTIBLE);
        List<Node> idle = new ArrayList<>(pool.idle());
        idle.sort(Comparator.comparing((Node n) -> !n.region().equals(pool.homeRegion())));
        for (Node node : idle) {
            if (chosen.size() == count) {
                return chosen;
            }
            chosen.add(new NodeChoice(node.id(), node.region(), node.capacity(), Placement.IDLE_NODE));
            if (node.capacity() == CapacityKind.DEDICATED) {
                dedicated++;
            } else {
                preemptible++;
            }
        }
        List<RegionRoom> rooms = new ArrayList<>(pool.room());
        rooms.sort(Comparator.comparing((RegionRoom r) -> !r.region().equals(pool.homeRegion())));
        for (RegionRoom room : rooms) {
            Placement placement = room.region().equals(pool.homeRegion()) ? Placement.SAME_REGION : Placement.OTHER_REGION;
            for (int left = room.nodes(); left > 0 && chosen.size() < count; left--) {
                CapacityKind kind = hybrid.nextKind(dedicated, preemptible);
                chosen.add(new NodeChoice("", room.region(), kind, placement));
                if (kind == CapacityKind.DEDICATED) {
                    dedicated++;
                } else {
                    preemptible++;
                }
            }
        }
        return chosen;
    }

    /** Up to {@code count} committed nodes to release, oldest first, never going under the dedicated floor. */
    static List<NodeChoice> toRelease(PoolState pool, int count, HybridPool hybrid) {
        List<Node> candidates = new ArrayList<>();
        for (Node node : pool.nodes()) {
            if (node.committed()) {
                candidates.add(node);
            }
        }
        candidates.sort(OLDEST_FIRST);
        int dedicatedSpare = committed(pool, CapacityKind.DEDICATED) - hybrid.dedicatedMin();
        List<NodeChoice> chosen = new ArrayList<>(count);
        for (Node node : candidates) {
            if (chosen.size() == count) {
                break;
            }
            if (node.capacity() == CapacityKind.DEDICATED) {
                if (dedicatedSpare <= 0) {
                    continue;
                }
                dedicatedSpare--;
            }
            chosen.add(new NodeChoice(node.id(), node.region(), node.capacity(), Placement.IN_SERVICE));
        }
        return chosen;
    }

    private static int committed(PoolState pool, CapacityKind kind) {
        int n = 0;
        for (Node node : pool.nodes()) {
            if (node.committed() && node.capacity() == kind) {
                n++;
            }
        }
        return n;
    }
}
