package io.infergate.gateway.config;

import io.infergate.core.fleet.Endpoint;

import java.net.URI;
import java.util.Objects;

/**
 * One configured endpoint: its core identity and where its metrics are scraped.
 *
 * <pre>{@code
 * for (EndpointConfig ep : config.endpointConfigs()) {
 *     scraper.watch(ep.endpoint().id(), ep.metricsUrl());
 * }
 * }</pre>
 *
 * @param endpoint   the core endpoint, with pool, server type and models taken from its pool
 * @param metricsUrl Prometheus metrics URL; default the endpoint URL + {@code /metrics}
 */
public record EndpointConfig(Endpoint endpoint, URI metricsUrl) {

    public EndpointConfig {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(metricsUrl, "metricsUrl");
    }
}
