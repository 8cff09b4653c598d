package io.infergate.gateway;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.schedule.Scheduler;
import io.infergate.core.time.Ticker;
import io.infergate.gateway.admin.AdminRouter;
import io.infergate.gateway.config.EndpointConfig;
import io.infergate.gateway.config.GatewayConfig;
import io.infergate.gateway.config.PoolConfig;
import io.infergate.gateway.fleet.FleetState;
import io.infergate.gateway.fleet.MetricMapping;
import io.infergate.gateway.fleet.MetricsScraper;
import io.infergate.gateway.fleet.ScrapeTarget;
import io.infergate.gateway.fleet.ScrapedFigures;
import io.infergate.gateway.observe.GatewayMetrics;
import io.infergate.gateway.observe.PickLog;
import io.infergate.gateway.proxy.ProxySettings;
import io.infergate.gateway.proxy.RequestIds;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running gateway: the data plane (OpenAI-compatible API, one server per core), the admin listener
 * ({@code /metrics}, {@code /admin/*}) and the metric scrapers, all over one shared fleet state.
 *
 * <pre>{@code
 * try (Gateway gateway = Gateway.start(ConfigLoader.load(Path.of("infergate.yaml")))) {
 *     System.out.println("data plane on :" + gateway.port() + ", admin on :" + gateway.adminPort());
 * }
 * }</pre>
 */
public final class Gateway implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final MetricsScraper scraper;
    private final FleetState fleet;
    private final int port;
    private final int adminPort;

    private Gateway(Vertx vertx, MetricsScraper scraper, FleetState fleet, int port, int adminPort) {
        this.vertx = vertx;
        this.scraper = scraper;
        this.fleet = fleet;
        this.port = port;
        this.adminPort = adminPort;
    }

    /** Starts a gateway and returns once every listener accepts connections. */
    public static Gateway start(GatewayConfig config) {
        Vertx vertx = Vertx.vertx();
        try {
            return start(vertx, config);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
    }

    private static Gateway start(Vertx vertx, GatewayConfig config) {
        List<Endpoint> endpoints = new ArrayList<>();
        List<ScrapeTarget> targets = new ArrayList<>();
        for (PoolConfig pool : config.pools()) {
            MetricMapping mapping = MetricMapping.forServerType(pool.type().configName());
            for (EndpointConfig endpoint : pool.endpoints()) {
                int slot = endpoints.size();
                targets.add(ScrapeTarget.server(slot, endpoint.metricsUrl(), mapping));
                endpoint.gpuMetricsUrl().ifPresent(url -> targets.add(ScrapeTarget.gpuExporter(slot, url)));
                endpoints.add(endpoint.endpoint());
            }
        }
        FleetState fleet = new FleetState(FleetSnapshot.of(endpoints));
        ScrapedFigures scraped = new ScrapedFigures(endpoints.size());
        Scheduler scheduler = Scheduler.named(config.routing().scheduler().configName());
        GatewayMetrics metrics = new GatewayMetrics(fleet, scraped, scheduler.name());
        ProxySettings defaults = ProxySettings.defaults();
        ProxySettings settings = new ProxySettings(config.limits().maxBodyBytes(), config.retry().maxAttempts(),
                defaults.connectTimeout(), defaults.upstreamIdleTimeout(), defaults.pickLogSize());
        PickLog picks = new PickLog(settings.pickLogSize());
        RequestIds requestIds = new RequestIds();
        String host = config.listen().host();

        // One server per core on a shared port; Vert.x shares a random port between servers when it is
        // asked for as a negative number, so port 0 in the config becomes -1 here.
        int requestedPort = config.listen().port() == 0 ? -1 : config.listen().port();
        List<DataPlaneVerticle> dataPlanes = new CopyOnWriteArrayList<>();
        await(vertx.deployVerticle(() -> {
            DataPlaneVerticle verticle = new DataPlaneVerticle(host, requestedPort, fleet, scheduler, metrics, picks,
                    settings, requestIds);
            dataPlanes.add(verticle);
            return verticle;
        }, new DeploymentOptions().setInstances(Runtime.getRuntime().availableProcessors())));
        int port = dataPlanes.getFirst().actualPort();
        HttpServer admin = await(vertx.createHttpServer()
                .requestHandler(new AdminRouter(vertx, fleet, scheduler, metrics, picks))
                .listen(config.listen().adminPort(), host));

        MetricsScraper scraper = new MetricsScraper(vertx, fleet, scraped, targets, config.scrape().interval(),
                config.scrape().timeout(), Ticker.system());
        scraper.start();
        return new Gateway(vertx, scraper, fleet, port, admin.actualPort());
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

    /** The live fleet state; tests and the demo read it. */
    public FleetState fleet() {
        return fleet;
    }

    @Override
    public void close() {
        scraper.stop();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            Thread.currentThread().interrupt();
        }
    }
}
