package io.infergate.core.scale;

import java.util.List;
import java.util.Objects;

/**
 * What the {@link Autoscaler} decided on one evaluation. {@link #nodes} has one entry per node to
 * add (in the order the hot-plug rule prefers them) or to release (in release order); it is empty for
 * a hold.
 *
 * <pre>{@code
 * Decision d = autoscaler.decide(pool);
 * switch (d.action()) {
 *     case ADD -> d.nodes().forEach(provider::start);
 *     case RELEASE -> d.nodes().forEach(n -> provider.stop(n.nodeId()));
 *     case HOLD -> { }
 * }
 * log.info("{} {} ({}): {}", d.action().label(), d.count(), d.reason().label(), d.detail());
 * }</pre>
 *
 * @param action what to do
 * @param count  how many nodes, {@code nodes().size()}
 * @param nodes  the nodes to add or release
 * @param reason why, as a low-cardinality code
 * @param detail why, as a sentence with the figures that led to it
 */
public record Decision(ScaleAction action, int count, List<NodeChoice> nodes, ScaleReason reason, String detail) {

    public Decision {
        Objects.requireNonNull(action, "action");
        nodes = List.copyOf(nodes);
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
        if (count != nodes.size()) {
            throw new IllegalArgumentException("count: " + count + " (expected: the number of nodes, " + nodes.size() + ")");
        }
        if ((action == ScaleAction.HOLD) != nodes.isEmpty()) {
            throw new IllegalArgumentException("nodes: " + nodes.size() + " for " + action
                    + " (expected: none for a hold, at least one otherwise)");
        }
    }

    static Decision hold(ScaleReason reason, String detail) {
        return new Decision(ScaleAction.HOLD, 0, List.of(), reason, detail);
    }

    static Decision add(List<NodeChoice> nodes, ScaleReason reason, String detail) {
        return new Decision(ScaleAction.ADD, nodes.size(), nodes, reason, detail);
    }

    static Decision release(List<NodeChoice> nodes, ScaleReason reason, String detail) {
        return new Decision(ScaleAction.RELEASE, nodes.size(), nodes, reason, detail);
    }
}
