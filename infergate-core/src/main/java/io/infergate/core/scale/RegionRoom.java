package io.infergate.core.scale;

import java.util.Objects;

/**
 * How many more nodes the node provider can start in one region; {@link #UNLIMITED} when it has no
 * known bound.
 *
 * <pre>{@code
 * List<RegionRoom> room = List.of(new RegionRoom("eu-west", 2), RegionRoom.unlimited("us-east"));
 * }</pre>
 *
 * @param region region name
 * @param nodes  nodes that can still be started there, {@code >= 0}
 */
public record RegionRoom(String region, int nodes) {

    public static final int UNLIMITED = Integer.MAX_VALUE;

    public RegionRoom {
        Objects.requireNonNull(region, "region");
        if (nodes < 0) {
            throw new IllegalArgumentException("nodes: " + nodes + " (expected: >= 0)");
        }
    }

    public static RegionRoom unlimited(String region) {
        return new RegionRoom(region, UNLIMITED);
    }
}
