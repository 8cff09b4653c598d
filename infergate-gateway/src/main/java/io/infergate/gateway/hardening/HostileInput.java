package io.infergate.gateway.hardening;

import io.infergate.gateway.config.LimitsConfig;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;

/**
 * Puts the defences against hostile clients on a server: head size limits in its options (431 for
 * large headers, 414 for a long request line, both from Vert.x; no cleartext HTTP/2), {@link SlowClientGuard} and
 * {@link RequestFraming} around its handler. Both the data plane and the admin listener use it.
 *
 * <pre>{@code
 * HttpServer server = vertx.createHttpServer(HostileInput.limit(new HttpServerOptions(), limits));
 * HostileInput.guard(server, vertx, limits, router).listen(8080);
 * }</pre>
 */
public final class HostileInput {

    private HostileInput() {
    }

    /**
     * {@code options} with the request-head limits of {@code limits}, for HTTP/1 and HTTP/2 alike, and
     * without cleartext HTTP/2: to tell h2c from HTTP/1, Vert.x reads a connection's whole first request
     * head before it reports the connection, so a client trickling that head would escape the header
     * timeout. HTTP/2 is offered over TLS, through ALPN.
     */
    public static HttpServerOptions limit(HttpServerOptions options, LimitsConfig limits) {
        return options.setHttp2ClearTextEnabled(false)
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxInitialLineLength(limits.maxRequestLineBytes())
                .setInitialSettings(new Http2Settings().setMaxHeaderListSize(limits.maxHeaderBytes()));
    }

    /** Installs the connection and request handlers of the slow-client guard and the framing check. */
    public static HttpServer guard(HttpServer server, Vertx vertx, LimitsConfig limits,
                                   Handler<HttpServerRequest> next) {
        SlowClientGuard guard = new SlowClientGuard(vertx, limits.headerTimeout(), limits.keepAliveTimeout(),
                limits.bodyTimeout());
        return server.connectionHandler(guard::onConnection).requestHandler(guard.guarding(new RequestFraming(next)));
    }
}
