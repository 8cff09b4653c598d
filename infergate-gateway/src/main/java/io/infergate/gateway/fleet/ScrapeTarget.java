package io.infergate.gateway.fleet;

import java.net.URI;
import java.util.Objects;

/**
 * One endpoint whose metrics the gateway reads.
 *
 * @param slot       the endpoint's slot in the fleet snapshot
 * @param metricsUrl where the server exports Prometheus metrics
 * @param mapping    how its metric names map onto load figures
 */
public record ScrapeTarget(int slot, URI metricsUrl, MetricMapping mapping) {
    public ScrapeTarget {
        Objects.requireNonNull(metricsUrl, "metricsUrl");
        Objects.requireNonNull(mapping, "mapping");
    }
}
