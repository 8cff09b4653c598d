package io.infergate.gateway;

import io.infergate.gateway.api.DataPlaneRouter;
import io.infergate.gateway.config.LimitsConfig;
import io.infergate.gateway.hardening.ClientConnections;
import io.infergate.gateway.hardening.HostileInput;
import io.infergate.gateway.proxy.CloseWhileDraining;
import io.infergate.gateway.proxy.InferenceProxy;
import io.infergate.gateway.proxy.ProxyServices;
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
    private final ProxyServices services;
    private final HttpServerOptions serverOptions;
    private final HttpClientOptions clientOptions;
    private final LimitsConfig limits;
    private final ClientConnections connections;
    private final Duration connectionCloseTimeout;
    private HttpServer server;
    private HttpClient client;

    DataPlaneVerticle(String host, int port, ProxyServices services, HttpServerOptions serverOptions,
                      HttpClientOptions clientOptions, LimitsConfig limits, ClientConnections connections,
                      Duration connectionCloseTimeout) {
        this.host = host;
        this.port = port;
        this.services = services;
        this.serverOptions = serverOptions;
        this.clientOptions = clientOptions;
        this.limits = limits;
        this.connections = connections;
        this.connectionCloseTimeout = connectionCloseTimeout;
    }

    @Override
    public Future<?> start() {
        client = vertx.createHttpClient(
                new HttpClientOptions(clientOptions)
                        .setKeepAlive(true)
                        .setTcpNoDelay(true)
                        .setDecompressionSupported(false)
                        .setConnectTimeout((int) services.settings().connectTimeout().toMillis()),
                new PoolOptions().setHttp1MaxSize(MAX_CONNECTIONS_PER_ENDPOINT).setMaxWaitQueueSize(-1));
        InferenceProxy proxy = new InferenceProxy(vertx, client, services);
        server = vertx.createHttpServer(new HttpServerOptions(serverOptions));
        return HostileInput.guard(server, vertx, limits, connections, new CloseWhileDraining(services.drain(),
                connectionCloseTimeout, new DataPlaneRouter(proxy, services.models(), services.drain()))).listen(port, host);
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
