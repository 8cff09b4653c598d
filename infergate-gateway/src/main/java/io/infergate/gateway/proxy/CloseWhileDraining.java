package io.infergate.gateway.proxy;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.time.Duration;

/**
 * While the gateway drains, ends each connection with the response to the request that arrived on it:
 * an HTTP/1.x response says {@code Connection: close} (so the client opens its next connection elsewhere,
 * not on a socket about to close under it) and the connection closes once that response is complete; an
 * HTTP/2 connection gets a GOAWAY and closes once its streams are done. Otherwise hands every request to
 * {@code next} untouched.
 *
 * <pre>{@code
 * server.requestHandler(new CloseWhileDraining(drain, drainTimeout, router));
 * }</pre>
 */
public final class CloseWhileDraining implements Handler<HttpServerRequest> {

    private final Drain drain;
    private final Duration closeTimeout;
    private final Handler<HttpServerRequest> next;

    /** @param closeTimeout how long a connection may stay open for its requests under way before it is closed */
    public CloseWhileDraining(Drain drain, Duration closeTimeout, Handler<HttpServerRequest> next) {
        this.drain = drain;
        this.closeTimeout = closeTimeout;
        this.next = next;
    }

    @Override
    public void handle(HttpServerRequest request) {
        if (drain.draining()) {
            if (request.version() != HttpVersion.HTTP_2) {
                request.response().headersEndHandler(v ->
                        request.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE));
            }
            request.connection().shutdown(closeTimeout);
        }
        next.handle(request);
    }
}
