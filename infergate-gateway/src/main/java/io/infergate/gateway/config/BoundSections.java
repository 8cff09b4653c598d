package io.infergate.gateway.config;

import io.infergate.core.model.ModelRoute;

import java.util.List;
import java.util.Optional;

/**
 * The sections of one file as {@link ConfigSection} binds them, in table order: a later section reads
 * the earlier ones it depends on ({@code listen} reads {@code admin}, {@code tenants} reads
 * {@code flow_control}, ...). A required section that is missing or invalid stays empty.
 */
final class BoundSections {

    AdminConfig admin;
    ListenConfig listen;
    LimitsConfig limits;
    ScrapeConfig scrape;
    FlowSection flowControl;
    RoutingConfig routing;
    RetryConfig retry;
    HealthConfig health;
    Optional<List<PoolConfig>> pools;
    List<TenantConfig> tenants;
    List<ModelRoute> models;
    RateLimitsConfig rateLimits;
    BackendTlsConfig backendTls;
    Optional<AutoscalerBinder.Section> autoscaler;
    ShutdownConfig shutdown;

    /** The whole configuration, once the sections that wait for others are resolved; empty without pools. */
    Optional<GatewayConfig> config(AutoscalerBinder autoscalers) {
        Optional<AutoscalerSettings> autoscalerSettings = pools.flatMap(p -> autoscaler.flatMap(section ->
                autoscalers.resolve(section, p)));
        FlowControlConfig flow = flowControl.withTenants(tenants);
        return pools.map(p -> new GatewayConfig(listen, limits, scrape, routing, retry, health, p, tenants, flow,
                models, rateLimits, admin, backendTls, autoscalerSettings, shutdown));
    }
}
