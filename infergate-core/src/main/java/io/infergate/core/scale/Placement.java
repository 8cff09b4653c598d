package io.infergate.core.scale;

/**
 * Where a node of a {@link Decision} comes from or is: the hot-plug rule prefers an idle node, then a
 * new node in the pool's own region, then one in another region; a released node is in service.
 */
public enum Placement {
    /** A node that is already provisioned but serves no traffic: the fastest to bring in. */
    IDLE_NODE,
    /** A new node in the pool's home region. */
    SAME_REGION,
    /** A new node in another region, when the home region has no room. */
    OTHER_REGION,
    /** A node currently serving the pool: the subject of a release. */
    IN_SERVICE
}
