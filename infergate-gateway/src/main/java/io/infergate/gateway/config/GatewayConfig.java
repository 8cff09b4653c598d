package io.infergate.gateway.config;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.model.ModelRoute;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The whole gateway configuration, as read from one YAML file by {@link ConfigLoader}. Every
 * optional section has a default ({@code ListenConfig.DEFAULT}, ...).
 *
 * <pre>{@code
 * GatewayConfig config = ConfigLoader.load(Path.of("infergate.yaml"));
 * int port = config.listen().port();
 * FleetSnapshot fleet = FleetSnapshot.of(config.endpoints());   // one Endpoint per configured endpoint
 * }</pre>
 *
 * @param listen  ports and bind address
 * @param limits  request limits
 * @param scrape  metric scraping cadence
 * @param routing scheduler choice
 * @param retry   retry policy
 * @param health  active health probes
 * @param pools   the pools, in file order, at least one
 * @param tenants the tenants, in file order; empty means the gateway is open
 * @param flowControl priority classes, queues and load shedding
 * @param modelRoutes aliases and ordered fallbacks of served models ({@code models:}); may be empty
 * @param rateLimits  where rate limits are counted
 * @param admin   the admin listener's TLS and token
 * @param backendTls TLS towards {@code https://} endpoints: trusted CAs and the client certificate
 * @param autoscaler  the pool the gateway scales and how, if any
 * @param shutdown    how long the gateway keeps serving, then draining, after SIGTERM
 */
public record GatewayConfig(ListenConfig listen, LimitsConfig limits, ScrapeConfig scrape, RoutingConfig routing,
                            RetryConfig retry, HealthConfig health, List<PoolConfig> pools, List<TenantConfig> tenants,
                            FlowControlConfig flowControl, List<ModelRoute> modelRoutes, RateLimitsConfig rateLimits,
                            AdminConfig admin, BackendTlsConfig backendTls, Optional<AutoscalerSettings> autoscaler,
                            ShutdownConfig shutdown) {

    public GatewayConfig {
        Objects.requireNonNull(listen, "listen");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(scrape, "scrape");
        Objects.requireNonNull(routing, "routing");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(health, "health");
        pools = List.copyOf(pools);
        tenants = List.copyOf(tenants);
        Objects.requireNonNull(flowControl, "flowControl");
        modelRoutes = List.copyOf(modelRoutes);
        Objects.requireNonNull(rateLimits, "rateLimits");
        Objects.requireNonNull(admin, "admin");
        Objects.requireNonNull(backendTls, "backendTls");
        Objects.requireNonNull(autoscaler, "autoscaler");
        Objects.requireNonNull(shutdown, "shutdown");
    }

    /** True when some tenant has an API key: then every inference request needs one. */
    public boolean authRequired() {
        return tenants.stream().anyMatch(tenant -> !tenant.keys().isEmpty());
    }

    /** Every configured endpoint with its metrics URL, pool by pool in file order. */
    public List<EndpointConfig> endpointConfigs() {
        return pools.stream().flatMap(pool -> pool.endpoints().stream()).toList();
    }

    /** Every configured endpoint as a core {@link Endpoint}, pool by pool in file order. */
    public List<Endpoint> endpoints() {
        return endpointConfigs().stream().map(EndpointConfig::endpoint).toList();
    }

    /** Every model some pool serves, sorted. */
    public SortedSet<String> models() {
        TreeSet<String> models = new TreeSet<>();
        pools.forEach(pool -> models.addAll(pool.models()));
        return Collections.unmodifiableSortedSet(models);
    }
}
