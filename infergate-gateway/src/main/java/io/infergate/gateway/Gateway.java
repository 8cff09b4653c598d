package io.infergate.gateway;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.health.HealthEvent;
import io.infergate.core.health.OutlierDetector;
import io.infergate.core.model.ModelCatalog;
import io.infergate.core.predict.LatencyPredictor;
import io.infergate.core.retry.HedgingPolicy;
import io.infergate.core.retry.AdaptiveTimeout;
import io.infergate.core.retry.FirstByteTimeouts;
import io.infergate.core.retry.RetryBudget;
import io.infergate.core.scale.NodeProviders;
import io.infergate.core.retry.RetryPolicy;
import io.infergate.core.schedule.PrefixIndex;
import io.infergate.core.schedule.Scheduler;
import io.infergate.core.schedule.SchedulerConfig;
import io.infergate.core.time.Ticker;
import io.infergate.gateway.admin.AdminAuthenticator;
import io.infergate.gateway.admin.AdminRouter;
import io.infergate.gateway.admin.MembershipRoutes;
import io.infergate.gateway.api.PriorityField;
import io.infergate.gateway.api.ServerPriority;
import io.infergate.gateway.config.AutoscalerHost;
import io.infergate.gateway.config.EndpointConfig;
import io.infergate.gateway.config.GatewayConfig;
import io.infergate.gateway.config.HedgingConfig;
import io.infergate.gateway.config.LimitsConfig;
import io.infergate.gateway.config.ListenConfig;
import io.infergate.gateway.config.PoolConfig;
import io.infergate.gateway.config.ShutdownConfig;
import io.infergate.gateway.config.RetryConfig;
import io.infergate.gateway.config.SchedulerKind;
import io.infergate.gateway.event.ExchangeObserver;
import io.infergate.gateway.fleet.FleetState;
import io.infergate.gateway.membership.ConfigReload;
import io.infergate.gateway.membership.FleetMembership;
import io.infergate.gateway.fleet.HealthProber;
import io.infergate.gateway.fleet.MetricMapping;
import io.infergate.gateway.fleet.MetricsScraper;
import io.infergate.gateway.fleet.ScrapeTarget;
import io.infergate.gateway.fleet.ScrapedFigures;
import io.infergate.gateway.flow.FlowGate;
import io.infergate.gateway.hardening.AcceptGate;
import io.infergate.gateway.hardening.ClientConnections;
import io.infergate.gateway.hardening.ConnectGuard;
import io.infergate.gateway.hardening.GatedTransport;
import io.infergate.gateway.hardening.HostileInput;
import io.infergate.gateway.observe.GatewayMetrics;
import io.infergate.gateway.observe.PickLog;
import io.infergate.gateway.observe.RequestMetrics;
import io.infergate.gateway.predict.PredictionFeed;
import io.infergate.gateway.api.ApiError;
import io.infergate.gateway.proxy.AdmissionGuard;
import io.infergate.gateway.proxy.Drain;
import io.infergate.gateway.proxy.EjectionWatch;
import io.infergate.gateway.proxy.Hedging;
import io.infergate.gateway.proxy.PassiveHealth;
import io.infergate.gateway.proxy.PerTryTimeout;
import io.infergate.gateway.proxy.PrefixRecording;
import io.infergate.gateway.proxy.ProxyServices;
import io.infergate.gateway.proxy.ProxySettings;
import io.infergate.gateway.proxy.RequestIds;
import io.infergate.gateway.proxy.Resilience;
import io.infergate.gateway.proxy.StallDetection;
import io.infergate.gateway.scale.PoolAutoscaler;
import io.infergate.gateway.security.AccessControl;
import io.infergate.gateway.security.EndpointAddressPolicies;
import io.infergate.gateway.security.KeyRegistry;
import io.infergate.gateway.tls.BackendTls;
import io.infergate.gateway.tls.ListenerTls;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * A running gateway: the data plane (OpenAI-compatible API, one server per core), the admin listener
 * ({@code /metrics}, {@code /admin/*}) and the metric scrapers, all over one shared fleet state.
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.start(ConfigLoader.load(Path.of("infergate.yaml")))) {
 *     System.out.println("data plane on :" + gateway.port() + ", admin on :" + gateway.adminPort());
 * }
 * }</pre>
 *
 * <p>{@link #shutdown()} stops it without losing requests (see {@link ShutdownConfig}); {@link #close()} stops
 * it at once. Both ports are bound with {@code SO_REUSEPORT} (unless {@code shutdown.reuse_port} is off), so
 * that a new gateway can start on them while the old one drains.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Gateway.class.getName());
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SWEEP_INTERVAL = Duration.ofMillis(250);
    /** How far back a hedging delay looks, and from how many first-byte latencies of a pool and shape at least. */
    private static final Duration HEDGE_LATENCY_WINDOW = Duration.ofSeconds(10);
    private static final int HEDGE_LATENCY_SAMPLES = 20;
    /** How often the configuration file's modification time is checked for a reload. */
    private static final Duration CONFIG_CHECK_INTERVAL = Duration.ofSeconds(2);
    /**
     * How long past its last deadline a data-plane connection may stay open before it is closed forcibly:
     * time for the responses ended at the drain timeout to reach their clients.
     */
    private static final Duration CLOSE_MARGIN = Duration.ofSeconds(5);
    /** How long the exchanges cut short at the drain timeout get to write their last event. */
    private static final Duration CUT_SHORT_WAIT = Duration.ofSeconds(1);
    /** How long a connection accepted just before the listeners close may take to send its first request. */
    private static final Duration FIRST_HEAD_WAIT = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final MetricsScraper scraper;
    private final HealthProber prober;
    private final FleetState fleet;
    private final AccessControl access;
    private final int port;
    private final int adminPort;
    private final Optional<PoolAutoscaler> autoscaler;
    private final List<DataPlaneVerticle> dataPlanes;
    private final Drain drain;
    private final ShutdownConfig shutdown;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Gateway(Vertx vertx, MetricsScraper scraper, HealthProber prober, FleetState fleet, AccessControl access,
                    int port, int adminPort, Optional<PoolAutoscaler> autoscaler, List<DataPlaneVerticle> dataPlanes,
                    Drain drain, ShutdownConfig shutdown) {
        this.dataPlanes = List.copyOf(dataPlanes);
        this.drain = drain;
        this.shutdown = shutdown;
        this.access = access;
        this.vertx = vertx;
        this.autoscaler = autoscaler;
        this.scraper = scraper;
        this.prober = prober;
        this.fleet = fleet;
        this.port = port;
        this.adminPort = adminPort;
    }

    /** Starts a gateway and returns once every listener accepts connections. */
    public static Gateway start(GatewayConfig config) {
        return start(config, Optional.empty());
    }

    /**
     * Starts a gateway on {@code config}, read from {@code file}: the file is then watched, and reloaded
     * when it changes or on {@code POST /admin/reload} (endpoints join and leave; see {@link ConfigReload}).
     */
    public static Gateway start(GatewayConfig config, Optional<Path> file) {
        // Linux's epoll transport where its native library loads (it spends less CPU per request), else NIO;
        // with the accept gate on every listening socket: client addresses counted before any TLS work.
        Vertx vertx = Vertx.builder().withTransport(GatedTransport.preferNative(new AcceptGate(config.limits()))).build();
        try {
            return start(vertx, config, file);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    private static Gateway start(Vertx vertx, GatewayConfig config, Optional<Path> file) {
        List<Endpoint> endpoints = new ArrayList<>();
        List<ScrapeTarget> targets = new ArrayList<>();
        List<HealthProber.Target> probes = new ArrayList<>();
        Map<String, RetryBudget> budgets = new HashMap<>();
        for (PoolConfig pool : config.pools()) {
            MetricMapping mapping = MetricMapping.forServerType(pool.type().configName());
            budgets.put(pool.name(), RetryBudget.builder().ratio(config.retry().budgetRatio())
                    .minPerSecond(config.retry().budgetMinPerSecond()).build());
            for (EndpointConfig endpoint : pool.endpoints()) {
                int slot = endpoints.size();
                targets.add(ScrapeTarget.server(slot, endpoint.metricsUrl(), mapping));
                probes.add(new HealthProber.Target(endpoint.endpoint().id(),
                        endpoint.endpoint().url().resolve(pool.type().healthPath())));
                endpoint.gpuMetricsUrl().ifPresent(url -> targets.add(ScrapeTarget.gpuExporter(slot, url)));
                endpoints.add(endpoint.endpoint());
            }
        }
        FleetState fleet = new FleetState(FleetSnapshot.of(endpoints));
        ScrapedFigures scraped = new ScrapedFigures(endpoints.size());
        Ticker ticker = Ticker.system();
        SchedulerKind schedulerKind = config.routing().scheduler();
        Optional<LatencyPredictor> predictor = schedulerKind == SchedulerKind.PREDICTED_LATENCY
                ? Optional.of(LatencyPredictor.create()) : Optional.empty();
        GatewayMetrics metrics = new GatewayMetrics(fleet, scraped, schedulerKind.configName(),
                predictor.map(p -> endpoint -> p.speeds(endpoint, ticker.read())));
        // every connection to an endpoint is checked on the address it resolved to (DNS rebinding)
        ConnectGuard.of(vertx).ifPresent(guard -> guard.enforce(new EndpointAddressPolicies(fleet::snapshot,
                config.pools().stream().collect(Collectors.toMap(PoolConfig::name, PoolConfig::allowedEndpoints))),
                metrics.registry()));
        EjectionWatch ejections = new EjectionWatch();
        OutlierDetector detector = OutlierDetector.builder()
                .latencyFactor(config.health().latencyFactor())
                .listener(event -> {
                    applyHealthEvent(fleet, metrics, event);
                    ejections.onHealthEvent(event);
                })
                .build();
        detector.track(endpoints);
        // The prefix index is the load-aware scheduler's own state, fed by the attempts sent.
        Optional<PrefixIndex> prefixes = schedulerKind == SchedulerKind.LOAD_AWARE && config.routing().prefixAffinity()
                ? Optional.of(PrefixIndex.builder().build()) : Optional.empty();
        Scheduler scheduler = switch (schedulerKind) {
            case LOAD_AWARE -> Scheduler.loadAware(
                    SchedulerConfig.defaults().withDedicatedClasses(config.routing().dedicatedClasses()),
                    prefixes.orElse(null), detector::slowStarts);
            case PREDICTED_LATENCY -> predictor.orElseThrow()
                    .scheduler(config.flowControl().slos(), config.routing().dedicatedClasses(), detector::slowStarts);
            case ROUND_ROBIN, LEAST_IN_FLIGHT -> Scheduler.named(schedulerKind.configName());
        };
        Resilience resilience = new Resilience(detector,
                RetryPolicy.builder().maxAttempts(config.retry().maxAttempts()).build(), budgets,
                perTryTimeout(config.retry()), hedging(config.retry().hedging()), ejections,
                config.health().stallDetection().rule().map(StallDetection::of));
        for (PoolConfig pool : config.pools()) {
            FirstByteTimeouts.SHAPES.forEach(shape -> metrics.perTryTimeoutGauge(pool.name(), shape,
                    () -> resilience.perTryTimeout().nanos(pool.name(), shape, ticker.read()) / 1e9));
        }
        ModelCatalog models = ModelCatalog.of(config.models(), config.modelRoutes());
        ProxySettings defaults = ProxySettings.defaults();
        Map<String, ServerPriority> serverPriorities = new HashMap<>();
        config.pools().forEach(pool -> serverPriorities.put(pool.name(), pool.serverPriority()));
        ProxySettings settings = new ProxySettings(config.limits().maxBodyBytes(),
                defaults.connectTimeout(), defaults.upstreamIdleTimeout(), defaults.pickLogSize(),
                new PriorityField(serverPriorities, config.flowControl().policy()));
        PickLog picks = new PickLog(settings.pickLogSize());
        RequestIds requestIds = new RequestIds();
        FlowGate flow = new FlowGate(config.flowControl(), config.tenants(), fleet, metrics, ticker);
        List<ExchangeObserver> listeners = new ArrayList<>(List.of(new RequestMetrics(metrics), picks,
                new PassiveHealth(detector), flow));
        prefixes.ifPresent(index -> listeners.add(new PrefixRecording(index)));
        predictor.ifPresent(p -> listeners.add(new PredictionFeed(p, metrics)));
        ExchangeObserver observer = ExchangeObserver.of(listeners);
        AccessControl access = AccessControl.start(vertx, config, metrics, ticker);
        KeyRegistry keys = access.keys();
        AdmissionGuard guard = access.guard();
        String host = config.listen().host();
        LimitsConfig limits = config.limits();
        Optional<ListenerTls> dataTls = config.listen().tls().map(tls -> ListenerTls.load("data", tls));
        Optional<ListenerTls> adminTls = config.admin().tls().map(tls -> ListenerTls.load("admin", tls));
        boolean reusePort = config.shutdown().reusePort();
        HttpServerOptions dataOptions = serverOptions(limits, dataTls, reusePort).setTcpNoDelay(true)
                .setCompressionSupported(false);
        if (reusePort && !vertx.isNativeTransportEnabled()) {
            LOG.warning("native transport unavailable (" + vertx.unavailableNativeTransportCause()
                    + "): the ports are bound without SO_REUSEPORT, so a second gateway cannot start on them "
                    + "while this one drains");
        }
        Drain drain = new Drain();
        ShutdownConfig shutdown = config.shutdown();
        Duration connectionCloseTimeout = shutdown.grace().plus(shutdown.drainTimeout()).plus(CLOSE_MARGIN);
        HttpClientOptions backendOptions = BackendTls.apply(config.backendTls(), new HttpClientOptions());

        ProxyServices services = new ProxyServices(fleet, scheduler, settings, ticker, requestIds,
                resilience, flow, models, guard, drain, observer);

        // One server per core on a shared port; Vert.x shares a random port between servers when it is
        // asked for as a negative number, so port 0 in the config becomes -1 here.
        int requestedPort = config.listen().port() == 0 ? -1 : config.listen().port();
        List<DataPlaneVerticle> dataPlanes = new CopyOnWriteArrayList<>();
        ClientConnections dataConnections = new ClientConnections("data", limits.maxConnectionsPerAddress(), metrics);
        await(vertx.deployVerticle(() -> {
            DataPlaneVerticle verticle = new DataPlaneVerticle(host, requestedPort, services, dataOptions,
                    backendOptions, limits, dataConnections, connectionCloseTimeout);
            dataPlanes.add(verticle);
            return verticle;
        }, new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors())));
        int port = dataPlanes.getFirst().actualPort();
        MetricsScraper scraper = new MetricsScraper(vertx, fleet, scraped, targets, config.scrape().interval(),
                config.scrape().timeout(), config.scrape().staleAfter(), ticker, backendOptions,
                slot -> predictor.ifPresent(p -> {
                    FleetSnapshot now = fleet.snapshot();
                    p.scraped(now.endpoint(slot), now.load(slot));
                }));
        scraper.start();
        HealthProber prober = new HealthProber(vertx, detector, probes, config.health().probeInterval(),
                config.health().probeTimeout(), ticker, backendOptions);
        prober.start();
        FleetMembership members = new FleetMembership(fleet, scraped, metrics, scraper, prober, detector,
                id -> predictor.ifPresent(p -> p.forget(id)));
        vertx.setPeriodic(SWEEP_INTERVAL.toMillis(), id -> {
            detector.sweep(ticker.read());
            members.sweep();
        });
        Optional<ConfigReload> reload = file.map(path -> new ConfigReload(path, config, members));
        reload.ifPresent(r -> r.watch(vertx, CONFIG_CHECK_INTERVAL));
        Map<String, PoolConfig> pools = new HashMap<>();
        config.pools().forEach(pool -> pools.put(pool.name(), pool));
        GatewayScalingTarget scalingTarget = new GatewayScalingTarget(fleet, metrics, members, flow, pools);
        MembershipRoutes membership = new MembershipRoutes(vertx, fleet, members, scalingTarget, config.pools(),
                config.flowControl().policy().saturation());
        AtomicReference<PoolAutoscaler> scaling = new AtomicReference<>();
        HttpServer admin = await(HostileInput.guard(vertx.createHttpServer(serverOptions(limits, adminTls, reusePort)), vertx,
                limits, new ClientConnections("admin", limits.maxConnectionsPerAddress(), metrics),
                new AdminAuthenticator(config.admin(), new AdminRouter(vertx, fleet, scheduler, metrics, picks,
                        keys, config.authRequired(), config.flowControl().policy(), () ->
                        Optional.ofNullable(scaling.get()).map(s -> List.of(s.view())).orElse(List.of()), reload,
                        membership, drain)))
                .listen(config.listen().adminPort(), config.listen().adminHost()));
        logAdminExposure(config, admin.actualPort());
        dataTls.ifPresent(tls -> tls.watch(vertx, () -> dataPlanes.stream().map(DataPlaneVerticle::server).toList()));
        adminTls.ifPresent(tls -> tls.watch(vertx, () -> List.of(admin)));
        flow.start(vertx);
        if (config.authRequired()) {
            LOG.info(() -> "API keys required: " + keys.list().size() + " key(s) of "
                    + config.tenants().stream().filter(t -> !t.keys().isEmpty()).count() + " tenant(s)");
        }
        Optional<PoolAutoscaler> autoscaler = config.autoscaler().filter(a -> a.runIn() == AutoscalerHost.GATEWAY)
                .map(scaled -> {
                    PoolAutoscaler scaler = new PoolAutoscaler(scaled, pools.get(scaled.pool()),
                            NodeProviders.create(scaled.providerType(), scaled.providerSettings()), scalingTarget,
                            metrics.registry(), ticker, InstantSource.system());
                    scaling.set(scaler);
                    scaler.start();
                    return scaler;
                });
        return new Gateway(vertx, scraper, prober, fleet, access, port, admin.actualPort(), autoscaler, dataPlanes,
                drain, shutdown);
    }

    /** Says at start-up who can reach the admin API: it adds endpoints and mints API keys. */
    private static void logAdminExposure(GatewayConfig config, int adminPort) {
        String where = config.listen().adminHost() + ":" + adminPort;
        if (config.admin().token().isPresent()) {
            LOG.info(() -> "admin API on " + where + ", bearer token required");
        } else if (ListenConfig.isLoopback(config.listen().adminHost())) {
            LOG.info(() -> "admin API on " + where + " without a token, so reachable from this machine only; set "
                    + "admin.token (and listen.admin_host) to reach it from elsewhere");
        } else {
            LOG.warning(() -> "admin API on " + where + " WITHOUT a token (admin.allow_remote_without_token): anyone "
                    + "who can reach it can add endpoints and mint API keys");
        }
    }

    /**
     * Server options both listeners share: request-head limits, TLS when configured, and {@code SO_REUSEPORT}
     * unless turned off, so that a new gateway started with the same file binds both ports while this one
     * drains (a restart in place; Vert.x sets it with the native transport only).
     */
    private static HttpServerOptions serverOptions(LimitsConfig limits, Optional<ListenerTls> tls, boolean reusePort) {
        HttpServerOptions options = HostileInput.limit(new HttpServerOptions(), limits).setReusePort(reusePort);
        return tls.map(t -> t.apply(options)).orElse(options);
    }

    /** {@code retry.per_try_timeout_ms} when set, else the adaptive default. */
    private static PerTryTimeout perTryTimeout(RetryConfig retry) {
        return retry.perTryTimeout().<PerTryTimeout>map(PerTryTimeout.Fixed::new).orElseGet(() ->
                new PerTryTimeout.Adaptive(new FirstByteTimeouts(() -> AdaptiveTimeout.builder().build())));
    }

    /** Hedging as configured, with the recent first-byte percentile of each pool and request shape; none when it is off. */
    private static Optional<Hedging> hedging(HedgingConfig config) {
        if (!config.enabled()) {
            return Optional.empty();
        }
        FirstByteTimeouts firstBytes = new FirstByteTimeouts(() -> AdaptiveTimeout.builder().percentile(config.percentile())
                .window(HEDGE_LATENCY_WINDOW, (int) HEDGE_LATENCY_WINDOW.toSeconds()).minSamples(HEDGE_LATENCY_SAMPLES).build());
        return Optional.of(new Hedging(HedgingPolicy.builder().priorities(config.priorities())
                .minDelay(config.minDelay()).maxAttempts(config.maxAttempts()).build(), firstBytes));
    }

    /** Mirrors the detector's verdicts in the snapshot the scheduler reads, and counts ejections. */
    private static void applyHealthEvent(FleetState fleet, GatewayMetrics metrics, HealthEvent event) {
        int slot = fleet.snapshot().slotOf(event.endpointId());
        switch (event) {
            case HealthEvent.Ejected ejected -> {
                fleet.updateLoad(slot, load -> load.withHealthy(false));
                metrics.ejection(ejected.endpointId(), ejected.cause());
                LOG.info(() -> "ejected endpoint '" + ejected.endpointId() + "' (" + ejected.cause() + ", ejection "
                        + ejected.ejections() + ")");
            }
            case HealthEvent.Readmitted readmitted -> {
                fleet.updateLoad(slot, load -> load.withHealthy(true));
                LOG.info(() -> "re-admitted endpoint '" + readmitted.endpointId() + "'"
                        + (readmitted.byProbe() ? " after a passing probe" : " after its backoff"));
            }
        }
    }

    private static <T> T await(Future<T> future) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("gateway failed to start: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("gateway did not start within " + START_TIMEOUT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the gateway", e);
        }
    }

    /** The data-plane port (the actual one when the config asked for port 0). */
    public int port() {
        return port;
    }

    public int adminPort() {
        return adminPort;
    }

    /** The autoscaler of the pool named in the {@code autoscaler:} section, if there is one. */
    public Optional<PoolAutoscaler> autoscaler() {
        return autoscaler;
    }

    /** The live fleet state; tests and the demo read it. */
    public FleetState fleet() {
        return fleet;
    }

    /**
     * Stops without losing requests, then {@link #close closes}; blocks until done. At once {@code /health}
     * answers 503 {@code draining} and every data-plane response closes its connection; for
     * {@code shutdown.grace_ms} the gateway still accepts connections (load balancers notice the failing
     * health check meanwhile); then it closes its listeners, answers the requests waiting in flow-control
     * queues 503 with {@code Retry-After}, and lets those in flight finish for up to
     * {@code shutdown.drain_timeout_ms}. A stream still running then ends with an SSE error event, a
     * response not yet begun is a 503 with {@code Retry-After}.
     */
    public void shutdown() throws InterruptedException {
        drain.begin();
        LOG.info(() -> "draining: /health answers 503; still accepting connections for " + shutdown.grace().toMillis()
                + " ms");
        Thread.sleep(shutdown.grace().toMillis());
        Optional<AcceptGate> gate = AcceptGate.of(vertx);
        if (gate.isPresent()) {
            awaitFirstHeads(gate.get().stopAccepting(port));
        }
        Duration closeTimeout = shutdown.drainTimeout().plus(CLOSE_MARGIN);
        List<Future<Void>> listenersClosed = dataPlanes.stream()
                .map(plane -> plane.server().shutdown(closeTimeout)).toList();
        drain.stopAccepting(ApiError.shuttingDown("the gateway is shutting down and no longer takes requests"));
        LOG.info(() -> "listeners closed; waiting up to " + shutdown.drainTimeout().toMillis() + " ms for "
                + drain.inFlight() + " request(s) in flight");
        if (!drain.awaitIdle(shutdown.drainTimeout())) {
            int cut = drain.inFlight();
            LOG.warning(() -> cut + " request(s) still in flight after the drain timeout of "
                    + shutdown.drainTimeout().toMillis() + " ms: ending them");
            drain.cutShort(ApiError.shuttingDown("the gateway is shutting down: the response was cut after its "
                    + "drain timeout of " + shutdown.drainTimeout().toMillis() + " ms"));
            drain.awaitIdle(CUT_SHORT_WAIT);
        }
        try {
            // The connections close once their last response is written.
            Future.all(listenersClosed).await(CUT_SHORT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            LOG.info("some data-plane connections were still open; closing them");
        }
        close();
    }

    /**
     * Waits, up to {@link #FIRST_HEAD_WAIT}, for the connections accepted before the listeners stopped
     * accepting to send their first request: the servers' shutdown closes every connection without a
     * request in flight at once, and would close those unserved.
     */
    private static void awaitFirstHeads(CompletableFuture<Void> allServed) throws InterruptedException {
        try {
            allServed.get(FIRST_HEAD_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.info("some data-plane connections sent no request within " + FIRST_HEAD_WAIT.toMillis()
                    + " ms of the listeners closing; closing them");
        }
    }

    /** Stops at once: the requests in flight are cut. Does nothing the second time. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        autoscaler.ifPresent(PoolAutoscaler::close);
        scraper.stop();
        prober.stop();
        try {
            vertx.close().await(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warning("the gateway's event loops did not stop within 10 s");
        }
        access.close();
    }
}
