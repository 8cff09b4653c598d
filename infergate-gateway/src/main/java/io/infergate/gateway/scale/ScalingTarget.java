package io.infergate.gateway.scale;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.scale.PoolReading;

/**
 * What {@link PoolAutoscaler} needs of the gateways it scales for: one consistent reading of a pool
 * per evaluation, and a way to add and drain endpoints. {@link io.infergate.gateway.Gateway} implements
 * it over its own fleet; {@link RemoteScalingTarget} over the admin APIs of one or more gateways, for
 * an autoscaler running as its own process.
 *
 * <pre>{@code
 * PoolReading pool = target.read("chat");       // fleet, in-flight counts, queue, completions
 * target.add(endpoint);                         // scraped, probed and routed to from now on
 * target.drain("chat-auto-3");                  // no new requests; removed once idle
 * }</pre>
 */
public interface ScalingTarget {

    /**
     * The pool as it stands now.
     *
     * @throws UnreadablePoolException when nothing could be read (no gateway answered)
     */
    PoolReading read(String pool) throws UnreadablePoolException;

    /** Adds a started node to the fleet: scraped, probed and routed to from now on. */
    void add(Endpoint endpoint);

    /**
     * Sends no new requests to the endpoint and removes it once idle; those in flight finish (or are
     * retried elsewhere if it dies).
     */
    void drain(String endpointId);

    /**
     * How the ids of the nodes added to {@code pool} begin; a number follows. An id must never name
     * another endpoint the gateways knew: they keep a removed endpoint's id with its settings.
     */
    default String nodeIdPrefix(String pool) {
        return pool + "-auto-";
    }
}
