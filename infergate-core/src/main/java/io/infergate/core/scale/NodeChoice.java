package io.infergate.core.scale;

import io.infergate.core.fleet.CapacityKind;

import java.util.Objects;

/**
 * One node of a {@link Decision}: for an add, where to get it; for a release, which one.
 *
 * <pre>{@code
 * NodeChoice fresh = new NodeChoice("", "eu-west", CapacityKind.PREEMPTIBLE, Placement.SAME_REGION);
 * }</pre>
 *
 * @param nodeId    the node's id; empty for a node that does not exist yet
 * @param region    region of the node
 * @param capacity  dedicated or preemptible
 * @param placement idle node, same region, other region, or in service (a release)
 */
public record NodeChoice(String nodeId, String region, CapacityKind capacity, Placement placement) {

    public NodeChoice {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(placement, "placement");
    }
}
