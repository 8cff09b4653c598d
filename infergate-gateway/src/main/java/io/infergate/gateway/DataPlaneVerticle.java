package io.infergate.gateway;

import io.infergate.core.model.ModelCatalog;
import io.infergate.core.schedule.Scheduler;
import io.infergate.core.time.Ticker;
import io.infergate.gateway.api.DataPlaneRouter;
import io.infergate.gateway.config.LimitsConfig;
import io.infergate.gateway.fleet.FleetState;
import io.infergate.gateway.flow.FlowGate;
import io.infergate.gateway.hardening.ClientConnections;
import io.infergate.gateway.hardening.HostileInput;
import io.infergate.gateway.observe.GatewayMetrics;
import io.infergate.gateway.observe.PickLog;
import io.infergate.gateway.proxy.AdmissionGuard;
import io.infergate.gateway.proxy.CloseWhileDraining;
import io.infergate.gateway.proxy.Drain;
import io.infergate.gateway.proxy.InferenceProxy;
import io.infergate.gateway.proxy.ProxySettings;
import io.infergate.gateway.proxy.RequestIds;
import io.infergate.gateway.proxy.Resilience;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.PoolOptions;

import java.time.Duration;

/**
 * One event loop's share of the data plane: an HTTP server on the shared data port, guarded against
 * hostile clients ({@link HostileInput}) and closing its connections while the gateway drains
 * ({@link CloseWhileDraining}), and a pooled HTTP client to the endpoints. The gateway deploys one instance
 * per core; Vert.x spreads connections across them.
 */
final class DataPlaneVerticle extends VerticleBase {

    /** Connections per endpoint per event loop; long token streams each hold one. */
    private static final int MAX_CONNECTIONS_PER_ENDPOINT = 4096;

    private final String host;
    private final int port;
    private final FleetState fleet;
    private final Scheduler scheduler;
    private final GatewayMetrics metrics;
    private final PickLog picks;
    private final ProxySettings settings;
    private final RequestIds requestIds;
    private final Resilience resilience;
    private final FlowGate flow;
    private final ModelCatalog models;
    private final AdmissionGuard guard;
    private final HttpServerOptions serverOptions;
    private final HttpClientOptions clientOptions;
    private final LimitsConfig limits;
    private final ClientConnections connections;
    private final Drain drain;
    private final Duration connectionCloseTimeout;
    private HttpServer server;
    private HttpClient client;

    DataPlaneVerticle(String host, int port, FleetState fleet, Scheduler scheduler, GatewayMetrics metrics,
                      PickLog picks, ProxySettings settings, RequestIds requestIds, Resilience resilience,
                      FlowGate flow, ModelCatalog models, AdmissionGuard guard, HttpServerOptions serverOptions,
                      HttpClientOptions clientOptions, LimitsConfig limits, ClientConnections connections,
                      Drain drain, Duration connectionCloseTimeout) {
        this.host = host;
        this.port = port;
        this.fleet = fleet;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.picks = picks;
        this.settings = settings;
        this.requestIds = requestIds;
        this.resilience = resilience;
        this.flow = flow;
        this.models = models;
        this.guard = guard;
        this.serverOptions = serverOptions;
        this.clientOptions = clientOptions;
        this.limits = limits;
        this.connections = connections;
        this.drain = drain;
        this.connectionCloseTimeout = connectionCloseTimeout;
    }

    @Override
    public Future<?> start() {
        client = vertx.createHttpClient(
                new HttpClientOptions(clientOptions)
                        .setKeepAlive(true)
                        .setTcpNoDelay(true)
                        .setDecompressionSupported(false)
                        .setConnectTimeout((int) settings.connectTimeout().toMillis()),
                new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS_PER_ENDPOINT).setMaxWaitQueueSize(-1));
        InferenceProxy proxy = new InferenceProxy(vertx, client, fleet, scheduler, metrics, picks, settings,
                Ticker.system(), requestIds, resilience, flow, models, guard, drain);
        server = vertx.createHttpServer(new HttpServerOptions(serverOptions));
        return HostileInput.guard(server, vertx, limits, connections, new CloseWhileDraining(drain,
                connectionCloseTimeout, new DataPlaneRouter(proxy, models, drain))).listen(port, host);
    }

    int actualPort() {
        return server.actualPort();
    }

    HttpServer server() {
        return server;
    }

    @Override
    public Future<?> stop() {
        return client.close();
    }
}
