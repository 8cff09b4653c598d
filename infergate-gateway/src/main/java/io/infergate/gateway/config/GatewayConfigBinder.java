package io.infergate.gateway.config;

import io.infergate.core.fleet.Accelerator;
import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.SiteKind;
import io.infergate.core.flow.FlowPolicy;
import io.infergate.core.flow.PriorityClass;
import io.infergate.core.flow.SaturationThresholds;
import org.snakeyaml.engine.v2.nodes.Node;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoublePredicate;

/**
 * The configuration schema: which keys each section has, their types, defaults and rules. Binds a
 * composed YAML document to a {@link GatewayConfig}, reporting every problem to the reader's
 * {@link Problems}; returns empty when a required part is missing.
 */
final class GatewayConfigBinder {

    /** The core's own defaults for an endpoint's optional fields, so they are defined in one place. */
    private static final Endpoint ENDPOINT_DEFAULTS = Endpoint.builder("defaults", URI.create("http://localhost")).build();
    private static final int MAX_PORT = 65_535;
    private static final int MAX_REPLICA_NODES = 1024;
    private static final int MAX_ACCELERATORS = 1024;
    private static final int MAX_RETRY_ATTEMPTS = 10;
    private static final long MAX_SCRAPE_MILLIS = 3_600_000;
    private static final long MAX_WAIT_MILLIS = 3_600_000;
    private static final int MAX_QUEUE = 1_000_000;
    /** The bounds of a class that does not state them: those of the default {@code standard} class. */
    private static final PriorityClass DEFAULT_CLASS = FlowPolicy.defaults().priorityClass(1);

    private final NodeReader reader;
    private final FirstSeen poolNames;
    private final FirstSeen endpointIds;
    private final FirstSeen endpointUrls;
    private final FirstSeen tenantNames;
    private final AutoscalerBinder autoscalers;

    GatewayConfigBinder(NodeReader reader) {
        this.reader = reader;
        Problems problems = reader.problems();
        this.poolNames = new FirstSeen("pool name", problems);
        this.endpointIds = new FirstSeen("endpoint id", problems);
        this.endpointUrls = new FirstSeen("endpoint url", problems);
        this.tenantNames = new FirstSeen("tenant name", problems);
        this.autoscalers = new AutoscalerBinder(reader);
    }

    Optional<GatewayConfig> bind(Node document) {
        return reader.mapping(document, "").flatMap(root -> {
            ListenConfig listen = root.optional("listen", this::listen, ListenConfig.DEFAULT);
            LimitsConfig limits = root.optional("limits", this::limits, LimitsConfig.DEFAULT);
            ScrapeConfig scrape = root.optional("scrape", this::scrape, ScrapeConfig.DEFAULT);
            RoutingConfig routing = root.optional("routing", this::routing, RoutingConfig.DEFAULT);
            RetryConfig retry = root.optional("retry", this::retry, RetryConfig.DEFAULT);
            HealthConfig health = root.optional("health", this::health, HealthConfig.DEFAULT);
            FlowSection flow = root.optional("flow_control", this::flowControl, FlowSection.defaults());
            Optional<List<PoolConfig>> pools =
                    root.required("pools", (node, path) -> reader.nonEmptyList(node, path, "pool", this::pool));
            List<TenantConfig> tenants = root.optional("tenants",
                    (node, path) -> reader.list(node, path, (item, itemPath) -> tenant(item, itemPath, flow)), List.of());
            Optional<AutoscalerBinder.Section> autoscalerSection = root.optional("autoscaler", autoscalers::section);
            root.finish();
            Optional<AutoscalerSettings> autoscaler = pools.flatMap(p -> autoscalerSection.flatMap(section ->
                    autoscalers.resolve(section, p)));
            tenants.forEach(tenant -> flow.policy().tenantWeight(tenant.name(), tenant.weight()));
            FlowControlConfig flowControl = new FlowControlConfig(flow.enabled(), flow.policy().build());
            return pools.map(p -> new GatewayConfig(listen, limits, scrape, routing, retry, health, p, tenants,
                    flowControl, autoscaler));
        });
    }

    private Optional<ListenConfig> listen(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            ListenConfig defaults = ListenConfig.DEFAULT;
            String host = m.optional("host", reader::nonBlank, defaults.host());
            int port = m.optional("port", intIn(0, MAX_PORT), defaults.port());
            int adminPort = m.optional("admin_port", intIn(0, MAX_PORT), defaults.adminPort());
            if (port != 0 && port == adminPort) {
                reader.problems().add(m.at("admin_port"), m.path("admin_port"),
                        "expected a port other than listen.port, found " + adminPort + " for both");
            }
            m.finish();
            return new ListenConfig(host, port, adminPort);
        });
    }

    private Optional<LimitsConfig> limits(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            long maxBodyBytes = m.optional("max_body_bytes", (n, p) -> reader.integer(n, p, 1, Long.MAX_VALUE),
                    LimitsConfig.DEFAULT.maxBodyBytes());
            m.finish();
            return new LimitsConfig(maxBodyBytes);
        });
    }

    private Optional<ScrapeConfig> scrape(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            ScrapeConfig defaults = ScrapeConfig.DEFAULT;
            NodeConverter<Duration> millis = millis();
            Duration interval = m.optional("interval_ms", millis, defaults.interval());
            Duration timeout = m.optional("timeout_ms", millis, defaults.timeout());
            Duration staleAfter = m.optional("stale_after_ms", millis, defaults.staleAfter());
            if (staleAfter.compareTo(interval) < 0) {
                reader.problems().add(m.at("stale_after_ms"), m.path("stale_after_ms"), "expected at least "
                        + "scrape.interval_ms (" + interval.toMillis() + "), found " + staleAfter.toMillis());
            }
            m.finish();
            return new ScrapeConfig(interval, timeout, staleAfter);
        });
    }

    private Optional<RoutingConfig> routing(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            SchedulerKind scheduler = m.optional("scheduler", choice(SchedulerKind.values()),
                    RoutingConfig.DEFAULT.scheduler());
            m.finish();
            return new RoutingConfig(scheduler);
        });
    }

    private Optional<RetryConfig> retry(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            RetryConfig defaults = RetryConfig.DEFAULT;
            int maxAttempts = m.optional("max_attempts", intIn(1, MAX_RETRY_ATTEMPTS), defaults.maxAttempts());
            Duration perTryTimeout = m.optional("per_try_timeout_ms", millis(), defaults.perTryTimeout());
            double budgetRatio = m.optional("budget_ratio", reader::nonNegative, defaults.budgetRatio());
            if (budgetRatio > 1) {
                reader.problems().add(m.at("budget_ratio"), m.path("budget_ratio"),
                        "expected a number from 0 to 1, found " + budgetRatio);
            }
            double budgetMinPerSecond = m.optional("budget_min_per_second", reader::nonNegative,
                    defaults.budgetMinPerSecond());
            m.finish();
            return new RetryConfig(maxAttempts, perTryTimeout, budgetRatio, budgetMinPerSecond);
        });
    }

    private Optional<HealthConfig> health(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            HealthConfig defaults = HealthConfig.DEFAULT;
            Duration probeInterval = m.optional("probe_interval_ms", millis(), defaults.probeInterval());
            Duration probeTimeout = m.optional("probe_timeout_ms", millis(), defaults.probeTimeout());
            double latencyFactor = m.optional("latency_factor", reader::nonNegative, defaults.latencyFactor());
            if (latencyFactor <= 1) {
                reader.problems().add(m.at("latency_factor"), m.path("latency_factor"),
                        "expected a number above 1, found " + latencyFactor);
            }
            m.finish();
            return new HealthConfig(probeInterval, probeTimeout, latencyFactor);
        });
    }

    private NodeConverter<Duration> millis() {
        return (n, p) -> reader.integer(n, p, 1, MAX_SCRAPE_MILLIS).map(Duration::ofMillis);
    }

    private Optional<PoolConfig> pool(Node node, String path) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<String> name = m.required("name", reader::name);
            name.ifPresent(n -> poolNames.claim(n, m.at("name"), m.path("name")));
            ServerType type = m.optional("type", choice(ServerType.values()), ServerType.VLLM);
            FirstSeen modelNames = new FirstSeen("model", reader.problems());
            Optional<List<String>> models = m.required("models", (n, p) -> reader.nonEmptyList(n, p, "model",
                    (item, itemPath) -> reader.token(item, itemPath)
                            .filter(model -> modelNames.claim(model, item, itemPath))));
            Optional<List<BoundEndpoint>> endpoints =
                    m.required("endpoints", (n, p) -> reader.nonEmptyList(n, p, "endpoint", this::endpoint));
            m.finish();
            if (name.isEmpty() || models.isEmpty() || endpoints.isEmpty()) {
                return Optional.empty();
            }
            List<EndpointConfig> bound = endpoints.get().stream().map(endpoint -> new EndpointConfig(
                    endpoint.builder().pool(name.get()).serverType(type.configName())
                            .models(Set.copyOf(models.get())).build(),
                    endpoint.metricsUrl(), endpoint.gpuMetricsUrl())).toList();
            return Optional.of(new PoolConfig(name.get(), type, models.get(), bound));
        });
    }

    /** An endpoint read from the file, waiting for its pool's name, type and models. */
    private record BoundEndpoint(Endpoint.Builder builder, URI metricsUrl, Optional<URI> gpuMetricsUrl) {
    }

    private Optional<BoundEndpoint> endpoint(Node node, String path) {
        return reader.mapping(node, path).flatMap(m -> {
            Endpoint defaults = ENDPOINT_DEFAULTS;
            Optional<URI> url = m.required("url", reader::httpUrl);
            Optional<String> explicitId = m.optional("id", reader::name);
            String region = m.optional("region", reader::name, defaults.region());
            String zone = m.optional("zone", reader::name, defaults.zone());
            SiteKind site = m.optional("site", choice(SiteKind.values()), defaults.site());
            Accelerator accelerator = m.optional("accelerator", this::accelerator, defaults.accelerator());
            double pricePerHour = m.optional("price_per_hour", reader::nonNegative, defaults.pricePerHour());
            double egressPerGb = m.optional("egress_per_gb", reader::nonNegative, defaults.egressPerGb());
            CapacityKind capacity = m.optional("capacity", choice(CapacityKind.values()), defaults.capacity());
            int replicaSize = m.optional("replica_size", intIn(1, MAX_REPLICA_NODES), defaults.replicaSize());
            Optional<URI> metricsUrl = m.optional("metrics_url", reader::httpUrl);
            Optional<URI> gpuMetricsUrl = m.optional("gpu_metrics_url", reader::httpUrl);
            m.finish();
            url.ifPresent(u -> endpointUrls.claim(u.toString(), m.at("url"), m.path("url")));
            Optional<String> id = explicitId.or(() -> url.map(GatewayConfigBinder::hostAndPort));
            id.ifPresent(i -> endpointIds.claim(i, explicitId.isPresent() ? m.at("id") : m.at("url"), m.path("id"),
                    explicitId.isPresent() ? "" : "; it is derived from the url's host:port, set 'id' to tell them apart"));
            return url.flatMap(u -> id.map(i -> new BoundEndpoint(
                    Endpoint.builder(i, u).region(region).zone(zone).site(site).accelerator(accelerator)
                            .pricePerHour(pricePerHour).egressPerGb(egressPerGb).capacity(capacity)
                            .replicaSize(replicaSize),
                    metricsUrl.orElseGet(() -> URI.create(u + "/metrics")), gpuMetricsUrl)));
        });
    }

    private Optional<Accelerator> accelerator(Node node, String path) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<String> type = m.required("type", reader::name);
            int count = m.optional("count", intIn(1, MAX_ACCELERATORS), 1);
            m.finish();
            return type.map(t -> new Accelerator(t, count));
        });
    }

    /** {@code flow_control:} as read, waiting for the tenants' weights. */
    private record FlowSection(boolean enabled, List<String> classNames, String defaultClass, FlowPolicy.Builder policy) {
        static FlowSection defaults() {
            FlowPolicy defaults = FlowPolicy.defaults();
            return new FlowSection(true, defaults.classNames(), defaults.defaultClass(), FlowPolicy.builder());
        }
    }

    private Optional<FlowSection> flowControl(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            FlowPolicy defaults = FlowPolicy.defaults();
            boolean enabled = m.optional("enabled", reader::bool, true);
            FirstSeen classNames = new FirstSeen("class name", reader.problems());
            List<PriorityClass> classes = m.optional("classes", (n, p) -> reader.nonEmptyList(n, p, "priority class",
                    (item, itemPath) -> priorityClass(item, itemPath, classNames)), List.<PriorityClass>of());
            if (classes.isEmpty()) {
                classes = defaults.classes();
            }
            List<String> names = classes.stream().map(PriorityClass::name).toList();
            // 'standard' when there is such a class, else the lowest: a request naming no class gets no privilege
            String fallback = names.contains(defaults.defaultClass()) ? defaults.defaultClass() : names.getLast();
            String defaultClass = m.optional("default_class", className(names), fallback);
            int maxQueued = m.optional("max_queued", intIn(0, MAX_QUEUE), defaults.maxQueued());
            double reserved = m.optional("reserved_for_critical",
                    decimal(">= 0 and < 1", share -> share < 1), defaults.reservedForCritical());
            SaturationThresholds saturation = m.optional("saturation", this::saturation, defaults.saturation());
            m.finish();
            return new FlowSection(enabled, names, defaultClass, FlowPolicy.builder().classes(classes).defaultClass(defaultClass)
                    .maxQueued(maxQueued).reservedForCritical(reserved).saturation(saturation));
        });
    }

    private Optional<PriorityClass> priorityClass(Node node, String path, FirstSeen classNames) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<String> name = m.required("name", reader::name)
                    .filter(n -> classNames.claim(n, m.at("name"), m.path("name")));
            int queueLimit = m.optional("queue_limit", intIn(0, MAX_QUEUE), DEFAULT_CLASS.queueLimit());
            Duration maxWait = m.optional("max_wait_ms", (n, p) -> reader.integer(n, p, 0, MAX_WAIT_MILLIS)
                    .map(Duration::ofMillis), DEFAULT_CLASS.maxWait());
            boolean sheddable = m.optional("sheddable", reader::bool, DEFAULT_CLASS.sheddable());
            m.finish();
            return name.map(n -> new PriorityClass(n, queueLimit, maxWait, sheddable));
        });
    }

    private Optional<SaturationThresholds> saturation(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            SaturationThresholds defaults = SaturationThresholds.DEFAULT;
            int maxWaiting = m.optional("max_waiting_per_endpoint", intIn(1, MAX_QUEUE), defaults.maxWaitingPerEndpoint());
            double maxKv = m.optional("max_kv_cache_usage", decimal("> 0 and <= 1", usage -> usage > 0 && usage <= 1),
                    defaults.maxKvCacheUsage());
            int maxRequests = m.optional("max_requests_per_endpoint", intIn(0, MAX_QUEUE),
                    defaults.maxRequestsPerEndpoint());
            m.finish();
            return new SaturationThresholds(maxWaiting, maxKv, maxRequests);
        });
    }

    /** The name of one of {@code classes}. */
    private NodeConverter<String> className(List<String> classes) {
        return (node, path) -> reader.name(node, path).filter(name -> {
            boolean known = classes.contains(name);
            if (!known) {
                reader.problems().add(node, path, "expected one of the priority classes " + String.join(", ", classes)
                        + ", found '" + name + "'" + Suggestions.didYouMean(name, classes));
            }
            return known;
        });
    }

    /** A number {@code >= 0} that also passes {@code allowed}, described by {@code range} in errors. */
    private NodeConverter<Double> decimal(String range, DoublePredicate allowed) {
        return (node, path) -> reader.nonNegative(node, path).filter(value -> {
            boolean ok = allowed.test(value);
            if (!ok) {
                reader.problems().add(node, path, "expected a number " + range + ", found " + value);
            }
            return ok;
        });
    }

    private Optional<TenantConfig> tenant(Node node, String path, FlowSection flow) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<String> name = m.required("name", reader::name);
            name.ifPresent(n -> tenantNames.claim(n, m.at("name"), m.path("name")));
            String priority = m.optional("priority", className(flow.classNames()), flow.defaultClass());
            double weight = m.optional("weight", decimal("> 0", w -> w > 0), FlowPolicy.DEFAULT_WEIGHT);
            List<TenantConfig.Key> keys =
                    m.optional("keys", (n, p) -> reader.list(n, p, this::tenantKey), List.of());
            TenantConfig.Limits limits = m.optional("limits", this::tenantLimits, TenantConfig.Limits.NONE);
            m.finish();
            return name.map(n -> new TenantConfig(n, priority, weight, keys, limits));
        });
    }

    private Optional<TenantConfig.Key> tenantKey(Node node, String path) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<String> hash = m.required("hash", reader::nonBlank);
            m.finish();
            return hash.map(TenantConfig.Key::new);
        });
    }

    private Optional<TenantConfig.Limits> tenantLimits(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            NodeConverter<Long> perMinute = (n, p) -> reader.integer(n, p, 0, Long.MAX_VALUE);
            long rpm = m.optional("rpm", perMinute, TenantConfig.Limits.NONE.requestsPerMinute());
            long tpm = m.optional("tpm", perMinute, TenantConfig.Limits.NONE.tokensPerMinute());
            m.finish();
            return new TenantConfig.Limits(rpm, tpm);
        });
    }

    private NodeConverter<Integer> intIn(int min, int max) {
        return (node, path) -> reader.integer(node, path, min, max).map(Math::toIntExact);
    }

    private <E extends Enum<E>> NodeConverter<E> choice(E[] values) {
        return (node, path) -> reader.choice(node, path, values);
    }

    /** The default endpoint id: {@code host:port}, with the scheme's port when the URL names none. */
    private static String hostAndPort(URI url) {
        int port = url.getPort() != -1 ? url.getPort() : url.getScheme().equalsIgnoreCase("https") ? 443 : 80;
        return url.getHost() + ":" + port;
    }
}
