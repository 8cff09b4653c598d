package io.infergate.core.scale;

import io.infergate.core.fleet.CapacityKind;

import java.util.Objects;
import java.util.Set;

/**
 * What a host asks a {@link NodeProvider} to start: a node with this id, for this pool and models,
 * where the {@link Decision} placed it.
 *
 * <pre>{@code
 * NodeSpec spec = new NodeSpec("chat-auto-3", "chat", Set.of("llama-3.1-8b-instruct"), "eu-west",
 *         CapacityKind.PREEMPTIBLE, 0.80);
 * }</pre>
 *
 * @param id           endpoint id the node gets, unique in the fleet
 * @param pool         pool the node joins
 * @param models       models it must serve
 * @param region       region to start it in
 * @param capacity     dedicated or preemptible
 * @param pricePerHour what the node costs per hour, in dollars, as the configuration prices its kind
 */
public record NodeSpec(String id, String pool, Set<String> models, String region, CapacityKind capacity,
                       double pricePerHour) {

    public NodeSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(pool, "pool");
        models = Set.copyOf(models);
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(capacity, "capacity");
        if (pricePerHour < 0) {
            throw new IllegalArgumentException("pricePerHour: " + pricePerHour + " (expected: >= 0)");
        }
    }
}
