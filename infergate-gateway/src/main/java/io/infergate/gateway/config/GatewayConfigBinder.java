package io.infergate.gateway.config;

import io.infergate.core.fleet.Accelerator;
import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.SiteKind;
import io.infergate.core.flow.FlowPolicy;
import io.infergate.core.flow.PriorityClass;
import io.infergate.core.flow.SaturationThresholds;
import io.infergate.core.model.ModelRoute;
import org.snakeyaml.engine.v2.nodes.Node;

import io.infergate.gateway.security.AllowedEndpoint;
import io.infergate.gateway.security.EndpointAddressPolicy;
import io.infergate.gateway.security.HostResolver;
import io.infergate.gateway.security.KeyHash;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
    private static final int MAX_HEDGED_ATTEMPTS = 8;
    private static final long MAX_SCRAPE_MILLIS = 3_600_000;
    private static final long MAX_WAIT_MILLIS = 3_600_000;
    private static final int MAX_QUEUE = 1_000_000;
    private static final int MAX_HEAD_BYTES = 1024 * 1024;
    private static final int MAX_CONNECTIONS = 1_000_000;
    private static final int MIN_TOKEN_LENGTH = 16;
    private static final String CERTIFICATE = "CERTIFICATE";
    private static final String PRIVATE_KEY = "PRIVATE KEY";
    /** The bounds of a class that does not state them: those of the default {@code standard} class. */
    private static final PriorityClass DEFAULT_CLASS = FlowPolicy.defaults().priorityClass(1);

    private final NodeReader reader;
    private final FirstSeen poolNames;
    private final FirstSeen endpointIds;
    private final FirstSeen endpointUrls;
    private final FirstSeen tenantNames;
    private final FirstSeen routedModels;
    private final FirstSeen modelAliases;
    private final FirstSeen keyIds;
    private final AutoscalerBinder autoscalers;
    private final HostResolver resolver;

    /** @param resolver resolves endpoint host names, whose every address is checked against the pool's rules */
    GatewayConfigBinder(NodeReader reader, HostResolver resolver) {
        this.reader = reader;
        this.resolver = resolver;
        Problems problems = reader.problems();
        this.poolNames = new FirstSeen("pool name", problems);
        this.endpointIds = new FirstSeen("endpoint id", problems);
        this.endpointUrls = new FirstSeen("endpoint url", problems);
        this.tenantNames = new FirstSeen("tenant name", problems);
        this.routedModels = new FirstSeen("model route", problems);
        this.modelAliases = new FirstSeen("model alias", problems);
        this.keyIds = new FirstSeen("API key id", problems);
        this.autoscalers = new AutoscalerBinder(reader);
    }

    Optional<GatewayConfig> bind(Node document) {
        return reader.mapping(document, "").flatMap(root -> {
            AdminConfig admin = root.optional("admin", this::admin, AdminConfig.DEFAULT);
            ListenConfig listen = root.optional("listen", (node, path) -> listen(node, path, admin),
                    ListenConfig.DEFAULT.withAdminHost(defaultAdminHost(ListenConfig.DEFAULT.host(), admin)));
            LimitsConfig limits = root.optional("limits", this::limits, LimitsConfig.DEFAULT);
            ScrapeConfig scrape = root.optional("scrape", this::scrape, ScrapeConfig.DEFAULT);
            FlowSection flow = root.optional("flow_control", this::flowControl, FlowSection.defaults());
            RoutingConfig routing = root.optional("routing", (node, path) -> routing(node, path, flow),
                    RoutingConfig.DEFAULT);
            RetryConfig retry = root.optional("retry", (node, path) -> retry(node, path, flow), RetryConfig.DEFAULT);
            HealthConfig health = root.optional("health", this::health, HealthConfig.DEFAULT);
            Optional<List<PoolConfig>> pools =
                    root.required("pools", (node, path) -> reader.nonEmptyList(node, path, "pool", this::pool));
            List<TenantConfig> tenants = root.optional("tenants",
                    (node, path) -> reader.list(node, path, (item, itemPath) -> tenant(item, itemPath, flow)), List.of());
            Set<String> served = new TreeSet<>();
            pools.ifPresent(list -> list.forEach(pool -> served.addAll(pool.models())));
            List<ModelRoute> models = root.optional("models",
                    (node, path) -> reader.list(node, path, (item, itemPath) -> modelRoute(item, itemPath, served)),
                    List.of());
            RateLimitsConfig rateLimits = root.optional("rate_limits", this::rateLimits, RateLimitsConfig.DEFAULT);
            BackendTlsConfig backendTls = root.optional("backend_tls", this::backendTls, BackendTlsConfig.DEFAULT);
            Optional<AutoscalerBinder.Section> autoscalerSection = root.optional("autoscaler", autoscalers::section);
            ShutdownConfig shutdown = root.optional("shutdown", this::shutdown, ShutdownConfig.DEFAULT);
            root.finish();
            Optional<AutoscalerSettings> autoscaler = pools.flatMap(p -> autoscalerSection.flatMap(section ->
                    autoscalers.resolve(section, p)));
            tenants.forEach(tenant -> flow.policy().tenantWeight(tenant.name(), tenant.weight()));
            FlowControlConfig flowControl = new FlowControlConfig(flow.enabled(), flow.policy().build());
            return pools.map(p -> new GatewayConfig(listen, limits, scrape, routing, retry, health, p, tenants,
                    flowControl, models, rateLimits, admin, backendTls, autoscaler, shutdown));
        });
    }

    private Optional<ListenConfig> listen(Node node, String path, AdminConfig admin) {
        return reader.mapping(node, path).map(m -> {
            ListenConfig defaults = ListenConfig.DEFAULT;
            String host = m.optional("host", reader::nonBlank, defaults.host());
            int port = m.optional("port", intIn(0, MAX_PORT), defaults.port());
            Optional<String> explicitAdminHost = m.optional("admin_host", reader::nonBlank);
            String adminHost = explicitAdminHost.orElse(defaultAdminHost(host, admin));
            if (explicitAdminHost.isPresent() && !admin.remoteAccessAllowed() && !ListenConfig.isLoopback(adminHost)) {
                reader.problems().add(m.at("admin_host"), m.path("admin_host"), "expected a loopback address "
                        + "(127.0.0.1, ::1 or localhost) while admin.token is not set, found '" + adminHost + "': anyone "
                        + "reaching it could add endpoints and mint API keys; set admin.token, or "
                        + "admin.allow_remote_without_token: true to open it without one");
            }
            int adminPort = m.optional("admin_port", intIn(0, MAX_PORT), defaults.adminPort());
            if (port != 0 && port == adminPort) {
                reader.problems().add(m.at("admin_port"), m.path("admin_port"),
                        "expected a port other than listen.port, found " + adminPort + " for both");
            }
            Optional<ServerTlsConfig> tls = m.optional("tls", this::serverTls);
            m.finish();
            return new ListenConfig(host, port, adminHost, adminPort, tls);
        });
    }

    /** Without a token (or the explicit opt-out) the admin listener is reachable from this machine only. */
    private static String defaultAdminHost(String host, AdminConfig admin) {
        return admin.remoteAccessAllowed() ? host : ListenConfig.LOOPBACK;
    }

    private Optional<ServerTlsConfig> serverTls(Node node, String path) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<Path> cert = m.required("cert", pem(CERTIFICATE));
            Optional<Path> key = m.required("key", pem(PRIVATE_KEY));
            Duration reloadCheck = m.optional("reload_check_ms", millis(), ServerTlsConfig.DEFAULT_RELOAD_CHECK);
            m.finish();
            return cert.flatMap(c -> key.map(k -> new ServerTlsConfig(c, k, reloadCheck)));
        });
    }

    private Optional<AdminConfig> admin(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            AdminConfig defaults = AdminConfig.DEFAULT;
            Optional<ServerTlsConfig> tls = m.optional("tls", this::serverTls);
            Optional<Secret> token = m.optional("token", this::token);
            boolean healthOpen = m.optional("health_open", reader::bool, defaults.healthOpen());
            boolean metricsOpen = m.optional("metrics_open", reader::bool, defaults.metricsOpen());
            boolean allowRemote = m.optional("allow_remote_without_token", reader::bool,
                    defaults.allowRemoteWithoutToken());
            m.finish();
            return new AdminConfig(tls, token, healthOpen, metricsOpen, allowRemote);
        });
    }

    /** A bearer token: long enough not to be guessed; errors give its length, never its value. */
    private Optional<Secret> token(Node node, String path) {
        return reader.nonBlank(node, path).filter(token -> {
            boolean plain = token.codePoints().allMatch(c -> c > ' ' && c < 0x7f);
            if (!plain) {
                reader.problems().add(node, path, "expected a token of printable ASCII without spaces, found other "
                        + "characters");
            } else if (token.length() < MIN_TOKEN_LENGTH) {
                reader.problems().add(node, path, "expected a token of at least " + MIN_TOKEN_LENGTH
                        + " characters, found one of " + token.length());
            }
            return plain && token.length() >= MIN_TOKEN_LENGTH;
        }).map(Secret::of);
    }

    private Optional<BackendTlsConfig> backendTls(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            Optional<Path> cert = m.optional("cert", pem(CERTIFICATE));
            Optional<Path> key = m.optional("key", pem(PRIVATE_KEY));
            Optional<Path> ca = m.optional("ca", pem(CERTIFICATE));
            boolean certGiven = m.value("cert").isPresent();
            boolean keyGiven = m.value("key").isPresent();
            if (certGiven != keyGiven) {
                String missing = certGiven ? "key" : "cert";
                String given = certGiven ? "cert" : "key";
                reader.problems().add(m.at(given), m.path(missing),
                        "expected '" + missing + "' with '" + given + "' (a client certificate needs both), found none");
            }
            m.finish();
            Optional<BackendTlsConfig.ClientCertificate> clientCert =
                    cert.flatMap(c -> key.map(k -> new BackendTlsConfig.ClientCertificate(c, k)));
            return new BackendTlsConfig(clientCert, ca);
        });
    }

    private NodeConverter<Path> pem(String block) {
        return (node, path) -> reader.pemFile(node, path, block);
    }

    private Optional<LimitsConfig> limits(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            long maxBodyBytes = m.optional("max_body_bytes", (n, p) -> reader.integer(n, p, 1, Long.MAX_VALUE),
                    LimitsConfig.DEFAULT.maxBodyBytes());
            LimitsConfig defaults = LimitsConfig.DEFAULT;
            int maxHeaderBytes = m.optional("max_header_bytes", intIn(1024, MAX_HEAD_BYTES), defaults.maxHeaderBytes());
            int maxRequestLineBytes = m.optional("max_request_line_bytes", intIn(256, MAX_HEAD_BYTES),
                    defaults.maxRequestLineBytes());
            Duration headerTimeout = m.optional("header_timeout_ms", millis(), defaults.headerTimeout());
            Duration keepAliveTimeout = m.optional("keep_alive_timeout_ms", millis(), defaults.keepAliveTimeout());
            Duration bodyTimeout = m.optional("body_timeout_ms", millis(), defaults.bodyTimeout());
            int maxConnectionsPerAddress = m.optional("max_connections_per_address", intIn(0, MAX_CONNECTIONS),
                    defaults.maxConnectionsPerAddress());
            int maxOpeningConnectionsPerAddress = m.optional("max_opening_connections_per_address",
                    intIn(0, MAX_CONNECTIONS), defaults.maxOpeningConnectionsPerAddress());
            Http2Limits http2 = m.optional("http2", this::http2Limits, defaults.http2());
            m.finish();
            return new LimitsConfig(maxBodyBytes, maxHeaderBytes, maxRequestLineBytes, headerTimeout, keepAliveTimeout,
                    bodyTimeout, maxConnectionsPerAddress, maxOpeningConnectionsPerAddress, http2);
        });
    }

    private Optional<Http2Limits> http2Limits(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            Http2Limits defaults = Http2Limits.DEFAULT;
            int maxStreams = m.optional("max_concurrent_streams", intIn(1, MAX_CONNECTIONS),
                    defaults.maxConcurrentStreams());
            int maxResets = m.optional("max_resets", intIn(1, MAX_CONNECTIONS), defaults.maxResets());
            Duration resetWindow = m.optional("reset_window_ms", this::wholeSeconds, defaults.resetWindow());
            m.finish();
            return new Http2Limits(maxStreams, maxResets, resetWindow);
        });
    }

    /** Milliseconds that make whole seconds, for settings Netty counts in seconds. */
    private Optional<Duration> wholeSeconds(Node node, String path) {
        return reader.integer(node, path, 1000, MAX_SCRAPE_MILLIS).filter(ms -> {
            boolean whole = ms % 1000 == 0;
            if (!whole) {
                reader.problems().add(node, path, "expected whole seconds (a multiple of 1000), found " + ms);
            }
            return whole;
        }).map(Duration::ofMillis);
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

    private Optional<RoutingConfig> routing(Node node, String path, FlowSection flow) {
        return reader.mapping(node, path).map(m -> {
            SchedulerKind scheduler = m.optional("scheduler", choice(SchedulerKind.values()),
                    RoutingConfig.DEFAULT.scheduler());
            boolean prefixAffinity = m.optional("prefix_affinity", reader::bool, RoutingConfig.DEFAULT.prefixAffinity());
            List<String> dedicated = m.optional("dedicated_classes", (n, p) -> reader.list(n, p,
                    className(flow.classNames())), List.copyOf(RoutingConfig.DEFAULT.dedicatedClasses()));
            m.finish();
            return new RoutingConfig(scheduler, prefixAffinity, Set.copyOf(dedicated));
        });
    }

    private Optional<RetryConfig> retry(Node node, String path, FlowSection flow) {
        return reader.mapping(node, path).map(m -> {
            RetryConfig defaults = RetryConfig.DEFAULT;
            int maxAttempts = m.optional("max_attempts", intIn(1, MAX_RETRY_ATTEMPTS), defaults.maxAttempts());
            Optional<Duration> perTryTimeout = m.optional("per_try_timeout_ms", millis());
            double budgetRatio = m.optional("budget_ratio", reader::nonNegative, defaults.budgetRatio());
            if (budgetRatio > 1) {
                reader.problems().add(m.at("budget_ratio"), m.path("budget_ratio"),
                        "expected a number from 0 to 1, found " + budgetRatio);
            }
            double budgetMinPerSecond = m.optional("budget_min_per_second", reader::nonNegative,
                    defaults.budgetMinPerSecond());
            HedgingConfig hedging = m.optional("hedging", (n, p) -> hedging(n, p, flow), defaults.hedging());
            m.finish();
            return new RetryConfig(maxAttempts, perTryTimeout, budgetRatio, budgetMinPerSecond, hedging);
        });
    }

    private Optional<HedgingConfig> hedging(Node node, String path, FlowSection flow) {
        return reader.mapping(node, path).map(m -> {
            HedgingConfig defaults = HedgingConfig.DEFAULT;
            boolean enabled = m.optional("enabled", reader::bool, defaults.enabled());
            List<String> priorities = m.optional("priorities", (n, p) -> reader.nonEmptyList(n, p, "priority class",
                    className(flow.classNames())), List.copyOf(defaults.priorities()));
            double percentile = m.optional("percentile", decimal("above 0 and at most 100", v -> v > 0 && v <= 100),
                    defaults.percentile());
            Duration minDelay = m.optional("min_delay_ms", millis(), defaults.minDelay());
            int maxAttempts = m.optional("max_attempts", intIn(2, MAX_HEDGED_ATTEMPTS), defaults.maxAttempts());
            m.finish();
            return new HedgingConfig(enabled, Set.copyOf(priorities), percentile, minDelay, maxAttempts);
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
            StallDetectionConfig stallDetection = m.optional("stall_detection", this::stallDetection,
                    defaults.stallDetection());
            m.finish();
            return new HealthConfig(probeInterval, probeTimeout, latencyFactor, stallDetection);
        });
    }

    private Optional<StallDetectionConfig> stallDetection(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            StallDetectionConfig defaults = StallDetectionConfig.DEFAULT;
            boolean enabled = m.optional("enabled", reader::bool, defaults.enabled());
            double multiplier = m.optional("multiplier",
                    decimal("at least 1", v -> v >= 1 && !Double.isInfinite(v)), defaults.multiplier());
            Duration min = m.optional("min_ms", millis(), defaults.min());
            m.finish();
            return new StallDetectionConfig(enabled, multiplier, min);
        });
    }

    private Optional<ShutdownConfig> shutdown(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            ShutdownConfig defaults = ShutdownConfig.DEFAULT;
            Duration grace = m.optional("grace_ms",
                    (n, p) -> reader.integer(n, p, 0, MAX_WAIT_MILLIS).map(Duration::ofMillis), defaults.grace());
            Duration drainTimeout = m.optional("drain_timeout_ms", millis(), defaults.drainTimeout());
            boolean reusePort = m.optional("reuse_port", reader::bool, defaults.reusePort());
            m.finish();
            return new ShutdownConfig(grace, drainTimeout, reusePort);
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
            List<AllowedEndpoint> allowed = m.optional("allowed_endpoints", (n, p) -> reader.nonEmptyList(n, p,
                    "host, address or CIDR range", this::allowedEndpoint), List.of());
            EndpointAddressPolicy policy = new EndpointAddressPolicy(allowed, resolver);
            Optional<List<BoundEndpoint>> endpoints = m.required("endpoints", (n, p) -> reader.nonEmptyList(n, p,
                    "endpoint", (item, itemPath) -> reader.mapping(item, itemPath)
                            .flatMap(endpoint -> endpointFields(endpoint, policy))));
            m.finish();
            if (name.isEmpty() || models.isEmpty() || endpoints.isEmpty()) {
                return Optional.empty();
            }
            List<EndpointConfig> bound = endpoints.get().stream()
                    .map(endpoint -> endpoint.in(name.get(), type, models.get())).toList();
            return Optional.of(new PoolConfig(name.get(), type, models.get(), bound, allowed));
        });
    }

    /**
     * One endpoint joining a running gateway ({@code POST /admin/endpoints}): the keys of a pool's
     * endpoint entry, and {@code pool}, one of {@code pools}, whose server type and models it takes.
     */
    Optional<EndpointConfig> joiningEndpoint(Node document, List<PoolConfig> pools) {
        return reader.mapping(document, "").flatMap(m -> {
            Optional<PoolConfig> pool = m.required("pool", (n, p) -> reader.name(n, p).flatMap(name -> {
                Optional<PoolConfig> known = pools.stream().filter(candidate -> candidate.name().equals(name)).findFirst();
                if (known.isEmpty()) {
                    List<String> names = pools.stream().map(PoolConfig::name).toList();
                    reader.problems().add(n, p, "expected one of the pools " + String.join(", ", names) + ", found '"
                            + name + "'" + Suggestions.didYouMean(name, names));
                }
                return known;
            }));
            EndpointAddressPolicy policy = new EndpointAddressPolicy(
                    pool.map(PoolConfig::allowedEndpoints).orElse(List.of()), resolver);
            Optional<BoundEndpoint> endpoint = endpointFields(m, policy);
            return pool.flatMap(p -> endpoint.map(e -> e.in(p.name(), p.type(), p.models())));
        });
    }

    /** {@code models[]}: a served model's aliases and ordered fallbacks; {@code served} are the pools' models. */
    private Optional<ModelRoute> modelRoute(Node node, String path, Set<String> served) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<String> name = m.required("name", servedModel(served, "a model some pool serves"));
            name.ifPresent(n -> routedModels.claim(n, m.at("name"), m.path("name")));
            List<String> aliases = m.optional("aliases", (n, p) -> reader.list(n, p, (item, itemPath) ->
                    reader.token(item, itemPath).filter(alias -> {
                        if (served.contains(alias)) {
                            reader.problems().add(item, itemPath, "expected a name of its own, found '" + alias
                                    + "', which a pool serves as a model");
                            return false;
                        }
                        return modelAliases.claim(alias, item, itemPath);
                    })), List.of());
            List<String> fallbacks = m.optional("fallbacks", (n, p) -> reader.list(n, p, (item, itemPath) ->
                    servedModel(served, "a served model to fall back to").convert(item, itemPath)
                            .filter(fallback -> {
                                boolean other = name.map(own -> !own.equals(fallback)).orElse(true);
                                if (!other) {
                                    reader.problems().add(item, itemPath, "expected a model other than '"
                                            + fallback + "' itself, found '" + fallback + "'");
                                }
                                return other;
                            })), List.of());
            m.finish();
            return name.map(n -> new ModelRoute(n, aliases, fallbacks));
        });
    }

    private NodeConverter<String> servedModel(Set<String> served, String expected) {
        return (node, path) -> reader.token(node, path).filter(model -> {
            boolean known = served.isEmpty() || served.contains(model);
            if (!known) {
                reader.problems().add(node, path, "expected " + expected + " (one of: " + String.join(", ", served)
                        + "), found '" + model + "'" + Suggestions.didYouMean(model, served));
            }
            return known;
        });
    }

    /** An endpoint read from the file, waiting for its pool's name, type and models. */
    private record BoundEndpoint(Endpoint.Builder builder, URI metricsUrl, Optional<URI> gpuMetricsUrl) {

        EndpointConfig in(String pool, ServerType type, List<String> models) {
            return new EndpointConfig(builder.pool(pool).serverType(type.configName()).models(Set.copyOf(models)).build(),
                    metricsUrl, gpuMetricsUrl);
        }
    }

    /** An entry of {@code pools[].allowed_endpoints}. */
    private Optional<AllowedEndpoint> allowedEndpoint(Node node, String path) {
        return reader.token(node, path).flatMap(text -> {
            try {
                return Optional.of(AllowedEndpoint.parse(text));
            } catch (IllegalArgumentException e) {
                reader.problems().add(node, path, e.getMessage());
                return Optional.empty();
            }
        });
    }

    /**
     * The endpoint keys of {@code m}; every other key is reported as unknown. Its URLs must be ones
     * {@code policy} lets the gateway reach: it sends them requests, scrapes and probes.
     */
    private Optional<BoundEndpoint> endpointFields(YamlMapping m, EndpointAddressPolicy policy) {
        Endpoint defaults = ENDPOINT_DEFAULTS;
        NodeConverter<URI> reachableUrl = (node, path) -> reader.httpUrl(node, path).filter(url -> {
            Optional<String> refusal = policy.refusal(url);
            refusal.ifPresent(why -> reader.problems().add(node, path, "expected an address this pool may reach, found '"
                    + url + "': " + why));
            return refusal.isEmpty();
        });
        Optional<URI> url = m.required("url", reachableUrl);
        Optional<String> explicitId = m.optional("id", reader::name);
        String region = m.optional("region", reader::name, defaults.region());
        String zone = m.optional("zone", reader::name, defaults.zone());
        SiteKind site = m.optional("site", choice(SiteKind.values()), defaults.site());
        Accelerator accelerator = m.optional("accelerator", this::accelerator, defaults.accelerator());
        double pricePerHour = m.optional("price_per_hour", reader::nonNegative, defaults.pricePerHour());
        double egressPerGb = m.optional("egress_per_gb", reader::nonNegative, defaults.egressPerGb());
        CapacityKind capacity = m.optional("capacity", choice(CapacityKind.values()), defaults.capacity());
        int replicaSize = m.optional("replica_size", intIn(1, MAX_REPLICA_NODES), defaults.replicaSize());
        Optional<Double> capacityWeight = m.optional("capacity_weight", decimal("> 0", w -> w > 0));
        Optional<URI> metricsUrl = m.optional("metrics_url", reachableUrl);
        Optional<URI> gpuMetricsUrl = m.optional("gpu_metrics_url", reachableUrl);
        m.finish();
        url.ifPresent(u -> endpointUrls.claim(u.toString(), m.at("url"), m.path("url")));
        Optional<String> id = explicitId.or(() -> url.map(GatewayConfigBinder::hostAndPort));
        id.ifPresent(i -> endpointIds.claim(i, explicitId.isPresent() ? m.at("id") : m.at("url"), m.path("id"),
                explicitId.isPresent() ? "" : "; it is derived from the url's host:port, set 'id' to tell them apart"));
        return url.flatMap(u -> id.map(i -> new BoundEndpoint(
                Endpoint.builder(i, u).region(region).zone(zone).site(site).accelerator(accelerator)
                        .pricePerHour(pricePerHour).egressPerGb(egressPerGb).capacity(capacity)
                        .replicaSize(replicaSize).capacityWeight(capacityWeight.orElse((double) replicaSize)),
                metricsUrl.orElseGet(() -> URI.create(u + "/metrics")), gpuMetricsUrl)));
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
            NodeConverter<String> className = className(flow.classNames());
            String priority = m.optional("priority", className, flow.defaultClass());
            Optional<String> maxPriority = m.optional("max_priority", className);
            maxPriority.ifPresent(max -> requireWithin(m, "priority", priority, max, flow));
            List<String> models = m.optional("models", this::modelNames, List.of());
            double weight = m.optional("weight", decimal("> 0", w -> w > 0), FlowPolicy.DEFAULT_WEIGHT);
            List<TenantConfig.Key> keys = m.optional("keys",
                    (n, p) -> reader.list(n, p, (item, itemPath) -> tenantKey(item, itemPath, flow, models)), List.of());
            TenantConfig.Limits limits = m.optional("limits", this::tenantLimits, TenantConfig.Limits.NONE);
            m.finish();
            return name.map(n -> new TenantConfig(n, priority, maxPriority, models, weight, keys, limits));
        });
    }

    private Optional<TenantConfig.Key> tenantKey(Node node, String path, FlowSection flow, List<String> tenantModels) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<KeyHash> hash = m.required("hash", (n, p) -> reader.nonBlank(n, p).flatMap(text -> {
                try {
                    KeyHash parsed = KeyHash.parse(text);
                    return keyIds.claim(parsed.id(), n, p) ? Optional.of(parsed) : Optional.empty();
                } catch (IllegalArgumentException e) {
                    reader.problems().add(n, p, e.getMessage());
                    return Optional.empty();
                }
            }));
            String name = m.optional("name", reader::nonBlank, "");
            List<String> models = m.optional("models", this::modelNames, List.of());
            if (!tenantModels.isEmpty() && !tenantModels.containsAll(models)) {
                reader.problems().add(m.at("models"), m.path("models"), "expected models among the tenant's "
                        + tenantModels + ", found " + models.stream().filter(model -> !tenantModels.contains(model)).toList());
            }
            NodeConverter<String> className = className(flow.classNames());
            Optional<String> priority = m.optional("priority", className);
            Optional<String> maxPriority = m.optional("max_priority", className);
            maxPriority.ifPresent(max -> priority.ifPresent(p -> requireWithin(m, "priority", p, max, flow)));
            TenantConfig.Limits limits = m.optional("limits", this::tenantLimits, TenantConfig.Limits.NONE);
            m.finish();
            return hash.map(h -> new TenantConfig.Key(h, name, models, priority, maxPriority, limits));
        });
    }

    /** Reports {@code key}'s class when it is above {@code max}: a default class the caller may not ask for. */
    private void requireWithin(YamlMapping m, String key, String priorityClass, String max, FlowSection flow) {
        if (flow.classNames().indexOf(priorityClass) < flow.classNames().indexOf(max)) {
            reader.problems().add(m.at(key), m.path(key), "expected a class no higher than max_priority '" + max
                    + "', found '" + priorityClass + "'");
        }
    }

    private Optional<List<String>> modelNames(Node node, String path) {
        FirstSeen seen = new FirstSeen("model", reader.problems());
        return reader.list(node, path, (item, itemPath) -> reader.token(item, itemPath)
                .filter(model -> seen.claim(model, item, itemPath)));
    }

    private Optional<TenantConfig.Limits> tenantLimits(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            NodeConverter<Long> perMinute = (n, p) -> reader.integer(n, p, 0, Long.MAX_VALUE);
            long rpm = m.optional("rpm", perMinute, TenantConfig.Limits.NONE.requestsPerMinute());
            long tpm = m.optional("tpm", perMinute, TenantConfig.Limits.NONE.tokensPerMinute());
            int concurrent = m.optional("max_concurrent", intIn(0, MAX_QUEUE), TenantConfig.Limits.NONE.maxConcurrent());
            m.finish();
            return new TenantConfig.Limits(rpm, tpm, concurrent);
        });
    }

    private Optional<RateLimitsConfig> rateLimits(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            RateLimitsConfig defaults = RateLimitsConfig.DEFAULT;
            RateLimitsConfig.Backend backend = m.optional("backend", choice(RateLimitsConfig.Backend.values()),
                    defaults.backend());
            RateLimitsConfig redis = m.optional("redis", this::redis, defaults);
            if (backend == RateLimitsConfig.Backend.REDIS && m.value("redis").isEmpty()) {
                reader.problems().add(m.at("backend"), m.path("redis"),
                        "required field is missing: backend redis needs redis: {url: redis://host:port}");
            }
            RateLimitsConfig.Fallback fallback = m.optional("fallback", choice(RateLimitsConfig.Fallback.values()),
                    defaults.fallback());
            m.finish();
            return new RateLimitsConfig(backend, redis.redisUrl(), redis.redisTimeout(), fallback);
        });
    }

    /** {@code rate_limits.redis}, returned in a config that carries only its fields. */
    private Optional<RateLimitsConfig> redis(Node node, String path) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<URI> url = m.required("url", this::redisUrl);
            Duration timeout = m.optional("timeout_ms", millis(), RateLimitsConfig.DEFAULT.redisTimeout());
            m.finish();
            return url.map(u -> new RateLimitsConfig(RateLimitsConfig.Backend.REDIS, u, timeout,
                    RateLimitsConfig.DEFAULT.fallback()));
        });
    }

    private Optional<URI> redisUrl(Node node, String path) {
        return reader.token(node, path).flatMap(text -> {
            URI uri = null;
            try {
                uri = new URI(text);
            } catch (URISyntaxException e) {
                // reported below
            }
            boolean valid = uri != null && ("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme()))
                    && uri.getHost() != null;
            if (!valid) {
                reader.problems().add(node, path, "expected a redis://host:port or rediss://host:port URL, found '"
                        + text + "'");
            }
            return valid ? Optional.of(uri) : Optional.empty();
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
