package io.infergate.gateway.hardening;

import io.infergate.gateway.api.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Cuts off clients that send slowly (slowloris). An idle timeout cannot: a client sending one byte a
 * second is never idle. Instead, an HTTP/1 connection must deliver a whole request head within
 * {@code headerTimeout} of opening, and each later one within {@code keepAliveTimeout} of the previous
 * response's end (the keep-alive idle time, longer: clients keep idle connections for a while), else it
 * is closed; and every
 * request must deliver its whole body within {@code bodyTimeout} of its head, else it is answered 408
 * and its connection closed (an HTTP/2 stream is reset instead, its connection lives on).
 *
 * <p>One instance per server: its state is confined to that server's event loop.
 *
 * <pre>{@code
 * SlowClientGuard guard = new SlowClientGuard(vertx, Duration.ofSeconds(10), Duration.ofSeconds(75),
 *         Duration.ofSeconds(60));
 * server.connectionHandler(guard::onConnection).requestHandler(guard.guarding(router));
 * }</pre>
 */
public final class SlowClientGuard {

    private final Vertx vertx;
    private final long headerTimeoutMillis;
    private final long keepAliveTimeoutMillis;
    private final long bodyTimeoutMillis;
    /** The pending header timer of each HTTP/1 connection waiting for a request head. */
    private final Map<HttpConnection, Long> headerTimers = new HashMap<>();

    public SlowClientGuard(Vertx vertx, Duration headerTimeout, Duration keepAliveTimeout, Duration bodyTimeout) {
        this.vertx = vertx;
        this.headerTimeoutMillis = requirePositive("headerTimeout", headerTimeout);
        this.keepAliveTimeoutMillis = requirePositive("keepAliveTimeout", keepAliveTimeout);
        this.bodyTimeoutMillis = requirePositive("bodyTimeout", bodyTimeout);
    }

    /** Install as the server's connection handler: starts the wait for the first request head. */
    public void onConnection(HttpConnection connection) {
        if (connection.protocolVersion() == HttpVersion.HTTP_2) {
            return;
        }
        connection.closeHandler(v -> cancelHeaderTimer(connection));
        awaitHead(connection, headerTimeoutMillis);
    }

    /** {@code next} with the body deadline, and the wait for the next head once the response ends. */
    public Handler<HttpServerRequest> guarding(Handler<HttpServerRequest> next) {
        return request -> {
            HttpConnection connection = request.connection();
            boolean http1 = request.version() != HttpVersion.HTTP_2;
            if (http1) {
                cancelHeaderTimer(connection);
            }
            long bodyTimer = request.isEnded() ? -1
                    : vertx.setTimer(bodyTimeoutMillis, id -> bodyTooSlow(request, http1));
            request.response().endHandler(v -> {
                if (bodyTimer >= 0) {
                    vertx.cancelTimer(bodyTimer);
                }
                if (http1 && !request.response().closed()) {
                    awaitHead(connection, keepAliveTimeoutMillis);
                }
            });
            next.handle(request);
        };
    }

    private void awaitHead(HttpConnection connection, long timeoutMillis) {
        cancelHeaderTimer(connection);
        headerTimers.put(connection, vertx.setTimer(timeoutMillis, id -> {
            headerTimers.remove(connection);
            connection.close();
        }));
    }

    private void cancelHeaderTimer(HttpConnection connection) {
        Long timer = headerTimers.remove(connection);
        if (timer != null) {
            vertx.cancelTimer(timer);
        }
    }

    private void bodyTooSlow(HttpServerRequest request, boolean http1) {
        if (request.isEnded()) {
            return;
        }
        HttpServerResponse response = request.response();
        if (!http1) {
            response.reset();
            return;
        }
        if (!response.headWritten() && !response.ended()) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
            new ApiError(408, "invalid_request_error", "request_timeout", "request body not received within "
                    + bodyTimeoutMillis + " ms (limits.body_timeout_ms)", 0).sendTo(response);
        }
        request.connection().close();
    }

    private static long requirePositive(String name, Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException(name + ": " + timeout + " (expected: > 0)");
        }
        return timeout.toMillis();
    }
}
