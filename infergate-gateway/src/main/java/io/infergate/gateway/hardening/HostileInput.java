package io.infergate.gateway.hardening;

import io.infergate.gateway.config.Http2Limits;
import io.infergate.gateway.config.LimitsConfig;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Puts the defences against hostile clients on a server: head size limits and HTTP/2 limits in its
 * options (431 for large headers, 414 for a long request line, both from Vert.x; a bound on concurrent
 * streams and on resets, enforced by Netty; no cleartext HTTP/2), and around its handlers the bound on
 * connections per client address ({@link ClientConnections}), {@link SlowClientGuard} and
 * {@link RequestFraming}; when {@code vertx} has an {@link AcceptGate}, it tells the gate as Vert.x reports
 * each connection and as its first request head arrives. Both the data plane and the admin listener use it.
 *
 * <pre>{@code
 * HttpServer server = vertx.createHttpServer(HostileInput.limit(new HttpServerOptions(), limits));
 * HostileInput.guard(server, vertx, limits, new ClientConnections("data", 4096, metrics), router).listen(8080);
 * }</pre>
 */
public final class HostileInput {

    static final String HTTP2_FLOOD = "http2_flood";

    private HostileInput() {
    }

    /**
     * {@code options} with the request-head limits of {@code limits}, for HTTP/1 and HTTP/2 alike, its
     * HTTP/2 limits, and without cleartext HTTP/2: to tell h2c from HTTP/1, Vert.x reads a connection's
     * whole first request head before it reports the connection, so a client trickling that head would
     * escape the header timeout. HTTP/2 is offered over TLS, through ALPN.
     */
    public static HttpServerOptions limit(HttpServerOptions options, LimitsConfig limits) {
        Http2Limits http2 = limits.http2();
        return options.setHttp2ClearTextEnabled(false)
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxInitialLineLength(limits.maxRequestLineBytes())
                .setInitialSettings(new Http2Settings().setMaxHeaderListSize(limits.maxHeaderBytes())
                        .setMaxConcurrentStreams(http2.maxConcurrentStreams()))
                .setHttp2RstFloodMaxRstFramePerWindow(http2.maxResets())
                .setHttp2RstFloodWindowDuration(Math.toIntExact(http2.resetWindow().toSeconds()))
                .setHttp2RstFloodWindowDurationTimeUnit(TimeUnit.SECONDS);
    }

    /**
     * Installs the connection and request handlers: the per-address bound of {@code connections}, the
     * slow-client guard, the count of HTTP/2 connections closed for a flood, and the framing check.
     */
    public static HttpServer guard(HttpServer server, Vertx vertx, LimitsConfig limits, ClientConnections connections,
                                   Handler<HttpServerRequest> next) {
        Optional<AcceptGate> gate = AcceptGate.of(vertx);
        // the first listener guarded (the data plane, started first) counts the connections the gate closes
        gate.ifPresent(g -> g.reportClosesTo(connections::closedBecause));
        SlowClientGuard guard = new SlowClientGuard(vertx, limits.headerTimeout(), limits.keepAliveTimeout(),
                limits.bodyTimeout(), connections::closedBecause,
                connection -> gate.ifPresent(g -> g.headArrived(connection.remoteAddress())));
        return server.connectionHandler(connection -> {
            if (!connections.admit(connection)) {
                return;
            }
            gate.ifPresent(g -> g.reported(connection.remoteAddress()));
            guard.onConnection(connection);
            connection.closeHandler(v -> {
                guard.onClose(connection);
                connections.release(connection);
            });
            // Netty answers a reset flood (and other abusive frame patterns) with GOAWAY ENHANCE_YOUR_CALM.
            connection.exceptionHandler(cause -> {
                if (cause instanceof Http2Exception http2 && http2.error() == Http2Error.ENHANCE_YOUR_CALM) {
                    connections.closedBecause(HTTP2_FLOOD);
                }
            });
        }).requestHandler(guard.guarding(new RequestFraming(next)));
    }
}
