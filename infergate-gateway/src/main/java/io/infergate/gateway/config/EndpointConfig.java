package io.infergate.gateway.config;

import io.infergate.core.fleet.Endpoint;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * One configured endpoint: its core identity and where its metrics, and its GPUs' metrics, are scraped.
 *
 * <pre>{@code
 * for (EndpointConfig ep : pool.endpoints()) {
 *     targets.add(ScrapeTarget.server(slot, ep.metricsUrl(), mapping));
 *     ep.gpuMetricsUrl().ifPresent(url -> targets.add(ScrapeTarget.gpuExporter(slot, url)));
 * }
 * }</pre>
 *
 * @param endpoint      the core endpoint, with pool, server type and models taken from its pool
 * @param metricsUrl    Prometheus metrics URL; default the endpoint URL + {@code /metrics}
 * @param gpuMetricsUrl a DCGM exporter's metrics URL for the endpoint's GPUs, if any
 */
public record EndpointConfig(Endpoint endpoint, URI metricsUrl, Optional<URI> gpuMetricsUrl) {

    public EndpointConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(metricsUrl, "metricsUrl");
        Objects.requireNonNull(gpuMetricsUrl, "gpuMetricsUrl");
    }
}
