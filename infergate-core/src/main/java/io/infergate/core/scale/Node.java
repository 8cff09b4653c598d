package io.infergate.core.scale;

import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Lifecycle;

import java.util.Objects;

/**
 * One node of a pool as the autoscaler sees it. The host builds it from the fleet snapshot (an
 * {@link io.infergate.core.fleet.Endpoint} and its {@link io.infergate.core.fleet.EndpointLoad}) and from
 * what its node provider knows (when the node started).
 *
 * <pre>{@code
 * Node node = new Node("eu-3", "eu-west", CapacityKind.DEDICATED, 2.10, startedAtNanos, Lifecycle.READY, 0.87);
 * }</pre>
 *
 * @param id             endpoint id
 * @param region         region the node runs in
 * @param capacity       dedicated or preemptible
 * @param pricePerHour   what the node costs per hour, in dollars
 * @param startedAtNanos {@link io.infergate.core.time.Ticker} time the node was started (or first seen)
 * @param lifecycle      starting, ready or draining; draining nodes no longer count
 * @param utilisation    0..1, from GPU utilisation or KV-cache use; {@link Double#NaN} when unknown
 */
public record Node(String id, String region, CapacityKind capacity, double pricePerHour, long startedAtNanos,
                   Lifecycle lifecycle, double utilisation) {

    public Node {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(capacity, "capacity");
        Objects.requireNonNull(lifecycle, "lifecycle");
        if (pricePerHour < 0) {
            throw new IllegalArgumentException("pricePerHour: " + pricePerHour + " (expected: >= 0)");
        }
        if (utilisation < 0) {
            throw new IllegalArgumentException("utilisation: " + utilisation + " (expected: 0..1 or NaN)");
        }
    }

    /** How long the node has been running at {@code nowNanos}. */
    public long ageNanos(long nowNanos) {
        return nowNanos - startedAtNanos;
    }

    /** Whether the node counts toward the pool's size: starting or ready, not draining or removed. */
    boolean committed() {
        return lifecycle == Lifecycle.STARTING || lifecycle == Lifecycle.READY;
    }
}
