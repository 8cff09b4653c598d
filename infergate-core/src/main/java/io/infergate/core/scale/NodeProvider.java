package io.infergate.core.scale;

import io.infergate.core.fleet.Endpoint;

import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Starts and stops the nodes an {@link Autoscaler} asks for: local emulators ({@code emulated}), a
 * user's script ({@code command}), Kubernetes. The host calls it off the event loops; implementations
 * may block inside the stages they return but not in the calls themselves.
 *
 * <pre>{@code
 * try (NodeProvider provider = NodeProviders.create("emulated", Map.of("speed", "10"))) {
 *     provider.onPreemption(nodeId -> host.drain(nodeId));
 *     provider.start(spec).thenAccept(endpoint -> fleet.add(endpoint));   // once it serves
 *     provider.stop(endpoint);                                            // once it is drained
 * }
 * }</pre>
 */
public interface NodeProvider extends AutoCloseable {

    /** Starts a node; the stage completes with its endpoint once the node serves requests. */
    CompletionStage<Endpoint> start(NodeSpec spec);

    /** Stops a node that no longer receives requests; the stage completes once it is gone. */
    CompletionStage<Void> stop(Endpoint endpoint);

    /** Where more nodes can be started, the pool's home region first; by default anywhere in it. */
    default List<RegionRoom> room(String homeRegion) {
        return List.of(RegionRoom.unlimited(homeRegion));
    }

    /**
     * Registers who to tell when the provider learns that one of its preemptible nodes is about to be
     * taken back (a cloud's preemption notice); the listener receives the node id. By default the
     * provider never hears of one.
     */
    default void onPreemption(Consumer<String> listener) {
    }

    /** Stops every node the provider started and releases its resources. */
    @Override
    void close();
}
