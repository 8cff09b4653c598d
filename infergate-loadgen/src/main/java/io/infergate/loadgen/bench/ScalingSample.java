package io.infergate.loadgen.bench;

import java.util.Map;

/**
 * What the gateway's autoscaler showed at one moment of an {@code autoscale} run ({@code GET /admin/autoscaler}).
 *
 * @param second        wall-clock seconds since the load started
 * @param committed     nodes starting or ready
 * @param ready         nodes serving
 * @param utilisation   the pool's mean utilisation, 0..1, or NaN when unknown
 * @param queue         requests waiting for the pool
 * @param committedAges age in seconds of every starting or ready node, by id
 */
public record ScalingSample(double second, int committed, int ready, double utilisation, int queue,
                            Map<String, Double> committedAges) {

    public ScalingSample {
        committedAges = Map.copyOf(committedAges);
    }
}
