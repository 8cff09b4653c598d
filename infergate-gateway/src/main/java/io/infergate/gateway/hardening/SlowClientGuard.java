package io.infergate.gateway.hardening;

import io.infergate.core.time.Ticker;
import io.infergate.gateway.api.ApiError;
import io.infergate.gateway.time.Deadline;
import io.infergate.gateway.time.DeadlineSweep;
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
 * <p>The deadlines are checked by a {@link DeadlineSweep}: a slow client is cut off up to
 * {@link DeadlineSweep#RESOLUTION} after its timeout, never before. One instance per server: its state is
 * confined to that server's event loop.
 *
 * <pre>{@code
 * SlowClientGuard guard = new SlowClientGuard(vertx, Duration.ofSeconds(10), Duration.ofSeconds(75),
 *         Duration.ofSeconds(60));
 * server.connectionHandler(guard::onConnection).requestHandler(guard.guarding(router));
 * }</pre>
 */
public final class SlowClientGuard {

    private final DeadlineSweep deadlines;
    private final long headerTimeoutMillis;
    private final long keepAliveTimeoutMillis;
    private final long bodyTimeoutMillis;
    /** The head deadline of each open HTTP/1 connection, armed while it waits for a request head. */
    private final Map<HttpConnection, Deadline> headDeadlines = new HashMap<>();

    public SlowClientGuard(Vertx vertx, Duration headerTimeout, Duration keepAliveTimeout, Duration bodyTimeout) {
        this.deadlines = new DeadlineSweep(vertx, Ticker.system(), DeadlineSweep.RESOLUTION);
        this.headerTimeoutMillis = requirePositive("headerTimeout", headerTimeout);
        this.keepAliveTimeoutMillis = requirePositive("keepAliveTimeout", keepAliveTimeout);
        this.bodyTimeoutMillis = requirePositive("bodyTimeout", bodyTimeout);
    }

    /** Install as the server's connection handler: starts the wait for the first request head. */
    public void onConnection(HttpConnection connection) {
        if (connection.protocolVersion() == HttpVersion.HTTP_2) {
            return;
        }
        Deadline head = deadlines.deadline(connection::close);
        headDeadlines.put(connection, head);
        connection.closeHandler(v -> headDeadlines.remove(connection).disarm());
        head.arm(headerTimeoutMillis);
    }

    /** {@code next} with the body deadline, and the wait for the next head once the response ends. */
    public Handler<HttpServerRequest> guarding(Handler<HttpServerRequest> next) {
        return request -> {
            boolean http1 = request.version() != HttpVersion.HTTP_2;
            Deadline head = http1 ? headDeadlines.get(request.connection()) : null;
            if (head != null) {
                head.disarm();
            }
            Deadline body = request.isEnded() ? null : deadlines.deadline(() -> bodyTooSlow(request, http1));
            if (body != null) {
                body.arm(bodyTimeoutMillis);
            }
            request.response().endHandler(v -> {
                if (body != null) {
                    body.disarm();
                }
                if (head != null && !request.response().closed()) {
                    head.arm(keepAliveTimeoutMillis);
                }
            });
            next.handle(request);
        };
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
