package io.infergate.gateway.scale;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.core.scale.NodeProviders;
import io.infergate.core.time.Ticker;
import io.infergate.gateway.admin.AdminAuthenticator;
import io.infergate.gateway.admin.JsonAnswer;
import io.infergate.gateway.api.ApiError;
import io.infergate.gateway.api.DataPlaneRouter;
import io.infergate.gateway.config.AutoscalerHost;
import io.infergate.gateway.config.AutoscalerSettings;
import io.infergate.gateway.config.GatewayConfig;
import io.infergate.gateway.config.PoolConfig;
import io.infergate.gateway.tls.ListenerTls;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.net.URI;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The autoscaler as its own process ({@code infergate autoscale}): the {@code autoscaler:} section of a
 * gateway configuration file, run by a {@link PoolAutoscaler} against remote gateways
 * ({@link RemoteScalingTarget}), with its own listener: {@code /metrics} (the
 * {@code infergate_autoscaler_*} and {@code infergate_pool_cost_*} metrics, as a gateway exports them),
 * {@code /health} and {@code GET /admin/autoscaler}, behind the file's {@code admin:} token and TLS, on
 * {@code listen.admin_host} (loopback without a token).
 *
 * <pre>{@code
 * try (StandaloneAutoscaler scaler = StandaloneAutoscaler.start(config,
 *         List.of(URI.create("http://10.0.0.2:8081")), Optional.of(token), 8091)) {
 *     System.out.println("autoscaler on :" + scaler.port());
 * }
 * }</pre>
 *
 * <p>Closing it stops deciding and closes the provider; it releases no node on the way out: nodes a
 * {@code command} provider started keep running and stay in the gateways' fleets, while emulated
 * nodes live in this process and stop with it.
 */
public final class StandaloneAutoscaler implements AutoCloseable {

    /** How long one request to one gateway may take. */
    public static final Duration GATEWAY_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Vertx vertx;
    private final PoolAutoscaler autoscaler;
    private final RemoteScalingTarget gateways;
    private final int port;

    private StandaloneAutoscaler(Vertx vertx, PoolAutoscaler autoscaler, RemoteScalingTarget gateways, int port) {
        this.vertx = vertx;
        this.autoscaler = autoscaler;
        this.gateways = gateways;
        this.port = port;
    }

    /**
     * Starts evaluating and listening on {@code port} (0 for any free one) of {@code listen.host}.
     *
     * @param gateways   the gateways' admin base URLs
     * @param adminToken their {@code admin.token}, if they have one
     * @throws IllegalArgumentException when the configuration has no {@code autoscaler:} section, or one a
     *                                  gateway runs itself ({@code run_in: gateway})
     */
    public static StandaloneAutoscaler start(GatewayConfig config, List<URI> gateways, Optional<String> adminToken,
                                             int port) {
        AutoscalerSettings settings = config.autoscaler().orElseThrow(() -> new IllegalArgumentException(
                "autoscaler: required section is missing (expected: the pool to scale and its provider)"));
        if (settings.runIn() != AutoscalerHost.EXTERNAL) {
            throw new IllegalArgumentException("autoscaler.run_in: expected external (the gateway started from this"
                    + " file runs the autoscaler itself otherwise, and two autoscalers would add nodes for the"
                    + " same queue), found gateway");
        }
        PoolConfig pool = config.pools().stream().filter(p -> p.name().equals(settings.pool()))
                .findFirst().orElseThrow();
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        RemoteScalingTarget target = new RemoteScalingTarget(gateways, adminToken, GATEWAY_TIMEOUT);
        PoolAutoscaler autoscaler;
        try {
            autoscaler = new PoolAutoscaler(settings, pool,
                    NodeProviders.create(settings.providerType(), settings.providerSettings()), target, registry,
                    Ticker.system(), InstantSource.system());
        } catch (RuntimeException e) {
            target.close();
            throw e;
        }
        Vertx vertx = Vertx.vertx();
        try {
            HttpServerOptions options = config.admin().tls().map(tls -> ListenerTls.load("autoscaler", tls)
                    .apply(new HttpServerOptions())).orElseGet(HttpServerOptions::new);
            ObjectMapper json = new ObjectMapper();
            HttpServer server = vertx.createHttpServer(options)
                    .requestHandler(new AdminAuthenticator(config.admin(), request -> route(request, autoscaler, registry, json)))
                    .listen(port, config.listen().adminHost())
                    .await(START_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            autoscaler.start();
            return new StandaloneAutoscaler(vertx, autoscaler, target, server.actualPort());
        } catch (TimeoutException | RuntimeException e) {
            autoscaler.close();
            target.close();
            vertx.close();
            throw new IllegalStateException("autoscaler listener on port " + port + " did not start: " + e.getMessage(), e);
        }
    }

    private static void route(HttpServerRequest request, PoolAutoscaler autoscaler, PrometheusMeterRegistry registry,
                              ObjectMapper json) {
        switch (request.path()) {
            case "/metrics" -> request.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                    .end(registry.scrape());
            case DataPlaneRouter.HEALTH -> JsonAnswer.send(request, json, 200, Map.of("status", "ok"));
            case "/admin/autoscaler" -> JsonAnswer.send(request, json, 200, Map.of("pools", List.of(autoscaler.view())));
            default -> ApiError.notFound(request.method().name(), request.path()).sendTo(request.response());
        }
    }

    /** The port of its listener (the actual one when 0 was asked for). */
    public int port() {
        return port;
    }

    public PoolAutoscaler autoscaler() {
        return autoscaler;
    }

    @Override
    public void close() {
        autoscaler.close();
        gateways.close();
        vertx.close();
    }
}
