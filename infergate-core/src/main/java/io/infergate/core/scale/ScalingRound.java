package io.infergate.core.scale;

import io.infergate.core.fleet.Endpoint;

import java.util.List;
import java.util.Objects;

/**
 * What one evaluation of a {@link PoolScaler} decided, and what its host does to carry it out, in this
 * order: stop the released nodes whose last request ended, start the new nodes, drain the released ones.
 *
 * <pre>{@code
 * ScalingRound round = scaler.evaluate(reading, provider.room(homeRegion));
 * round.stop().forEach(provider::stop);
 * round.start().forEach(spec -> provider.start(spec).thenAccept(...));
 * round.drain().forEach(fleet::drain);
 * }</pre>
 *
 * @param decision   the decision; its detail names the gateways left out of the reading, if any
 * @param noteworthy whether to log it: an add, a release, or a hold for another reason than the decision before
 * @param stop       released nodes with no request left in flight: the provider stops them
 * @param start      nodes to ask the provider for, already counted as starting
 * @param drain      ids of the nodes released: they get no new requests and are stopped once idle
 */
public record ScalingRound(Decision decision, boolean noteworthy, List<Endpoint> stop, List<NodeSpec> start,
                           List<String> drain) {

    public ScalingRound {
        Objects.requireNonNull(decision, "decision");
        stop = List.copyOf(stop);
        start = List.copyOf(start);
        drain = List.copyOf(drain);
    }
}
