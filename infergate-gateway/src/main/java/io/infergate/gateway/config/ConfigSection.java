package io.infergate.gateway.config;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The top-level sections of the configuration file, listed once: each one's YAML key, how it is bound,
 * where {@link GatewayConfig} keeps it, and whether a running gateway applies a change to it. The
 * binder reads the sections in this order (a section may use the ones above it) and names them in this
 * order in an "unknown key" error; {@code ConfigReload} reports a changed {@link Change#RESTART} section
 * as needing a restart.
 */
public enum ConfigSection {

    ADMIN("admin", Change.RESTART, GatewayConfig::admin,
            (binders, root, key, bound) -> bound.admin = root.optional(key, binders.admin()::bind, AdminConfig.DEFAULT)),
    LISTEN("listen", Change.RESTART, GatewayConfig::listen,
            (binders, root, key, bound) -> bound.listen = root.optional(key,
                    (node, path) -> binders.listen().bind(node, path, bound.admin), ListenBinder.absent(bound.admin))),
    LIMITS("limits", Change.RESTART, GatewayConfig::limits,
            (binders, root, key, bound) -> bound.limits = root.optional(key, binders.limits()::bind,
                    LimitsConfig.DEFAULT)),
    SCRAPE("scrape", Change.RESTART, GatewayConfig::scrape,
            (binders, root, key, bound) -> bound.scrape = root.optional(key, binders.scrape()::bind,
                    ScrapeConfig.DEFAULT)),
    FLOW_CONTROL("flow_control", Change.RESTART, GatewayConfig::flowControl,
            (binders, root, key, bound) -> bound.flowControl = root.optional(key, binders.flowControl()::bind,
                    FlowSection.defaults())),
    ROUTING("routing", Change.RESTART, GatewayConfig::routing,
            (binders, root, key, bound) -> bound.routing = root.optional(key,
                    (node, path) -> binders.routing().bind(node, path, bound.flowControl), RoutingConfig.DEFAULT)),
    RETRY("retry", Change.RESTART, GatewayConfig::retry,
            (binders, root, key, bound) -> bound.retry = root.optional(key,
                    (node, path) -> binders.retry().bind(node, path, bound.flowControl), RetryConfig.DEFAULT)),
    HEALTH("health", Change.RESTART, GatewayConfig::health,
            (binders, root, key, bound) -> bound.health = root.optional(key, binders.health()::bind,
                    HealthConfig.DEFAULT)),
    /** Endpoints join and leave a running pool; {@code ConfigReload} checks each pool's own fields itself. */
    POOLS("pools", Change.LIVE, GatewayConfig::pools,
            (binders, root, key, bound) -> bound.pools = root.required(key, binders.pools()::bind)),
    TENANTS("tenants", Change.RESTART, GatewayConfig::tenants,
            (binders, root, key, bound) -> bound.tenants = root.optional(key,
                    (node, path) -> binders.tenants().bind(node, path, bound.flowControl), List.of())),
    MODELS("models", Change.RESTART, GatewayConfig::modelRoutes,
            (binders, root, key, bound) -> {
                Set<String> served = new TreeSet<>();
                bound.pools.ifPresent(pools -> pools.forEach(pool -> served.addAll(pool.models())));
                bound.models = root.optional(key, (node, path) -> binders.models().bind(node, path, served), List.of());
            }),
    RATE_LIMITS("rate_limits", Change.RESTART, GatewayConfig::rateLimits,
            (binders, root, key, bound) -> bound.rateLimits = root.optional(key, binders.rateLimits()::bind,
                    RateLimitsConfig.DEFAULT)),
    BACKEND_TLS("backend_tls", Change.RESTART, GatewayConfig::backendTls,
            (binders, root, key, bound) -> bound.backendTls = root.optional(key, binders.backendTls()::bind,
                    BackendTlsConfig.DEFAULT)),
    AUTOSCALER("autoscaler", Change.RESTART, GatewayConfig::autoscaler,
            (binders, root, key, bound) -> bound.autoscaler = root.optional(key, binders.autoscaler()::section)),
    SHUTDOWN("shutdown", Change.RESTART, GatewayConfig::shutdown,
            (binders, root, key, bound) -> bound.shutdown = root.optional(key, binders.shutdown()::bind,
                    ShutdownConfig.DEFAULT));

    /** What a running gateway does when the file changes this section. */
    public enum Change {
        /** Applied while the gateway runs. */
        LIVE,
        /** Reported, and applied by the next start. */
        RESTART
    }

    /** Reads a section's key from the root mapping into {@link BoundSections}. */
    @FunctionalInterface
    interface Binding {
        void bind(SectionBinders binders, YamlMapping root, String key, BoundSections bound);
    }

    private final String key;
    private final Change change;
    private final Function<GatewayConfig, ?> read;
    private final Binding binding;

    ConfigSection(String key, Change change, Function<GatewayConfig, ?> read, Binding binding) {
        this.key = key;
        this.change = change;
        this.read = read;
        this.binding = binding;
    }

    /** The section's key in the file, e.g. {@code flow_control}. */
    public String key() {
        return key;
    }

    public Change change() {
        return change;
    }

    /** The section's value in {@code config}, compared by {@code equals} to see whether it changed. */
    public Object read(GatewayConfig config) {
        return read.apply(config);
    }

    void bind(SectionBinders binders, YamlMapping root, BoundSections bound) {
        binding.bind(binders, root, key, bound);
    }
}
