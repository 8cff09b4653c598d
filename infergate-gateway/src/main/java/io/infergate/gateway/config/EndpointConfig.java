package io.infergate.gateway.config;

import io.infergate.core.fleet.Endpoint;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
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

    /**
     * A node a provider started: emulated nodes and many deployments put the DCGM figures on the
     * server's own metrics page, so both are scraped there.
     */
    public static EndpointConfig ofNode(Endpoint node) {
        URI metrics = URI.create(node.url() + "/metrics");
        return new EndpointConfig(node, metrics, Optional.of(metrics));
    }

    /**
     * The endpoint as {@code POST /admin/endpoints} reads it ({@link ConfigLoader#endpoint}): its pool and
     * the keys of a {@code pools[].endpoints[]} entry, spelled as in the file.
     */
    public Map<String, Object> adminBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("pool", endpoint.pool());
        body.put("id", endpoint.id());
        body.put("url", endpoint.url().toString());
        body.put("region", endpoint.region());
        if (!endpoint.zone().isEmpty()) {
            body.put("zone", endpoint.zone());
        }
        body.put("site", ConfigNames.of(endpoint.site()));
        if (endpoint.accelerator().count() > 0) {
            body.put("accelerator", Map.of("type", endpoint.accelerator().type(), "count", endpoint.accelerator().count()));
        }
        if (!endpoint.engineProfile().isEmpty()) {
            body.put("engine_profile", endpoint.engineProfile());
        }
        body.put("price_per_hour", endpoint.pricePerHour());
        body.put("egress_per_gb", endpoint.egressPerGb());
        body.put("capacity", ConfigNames.of(endpoint.capacity()));
        body.put("replica_size", endpoint.replicaSize());
        body.put("capacity_weight", endpoint.capacityWeight());
        body.put("metrics_url", metricsUrl.toString());
        gpuMetricsUrl.ifPresent(url -> body.put("gpu_metrics_url", url.toString()));
        return body;
    }
}
