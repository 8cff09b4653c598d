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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Cuts off clients that send slowly (slowloris) and connections left idle. An idle timeout on the socket
 * cannot: a client sending one byte a second is never idle, and an answer still being computed (a long
 * prefill, a queue wait) sends nothing for a minute on a busy connection. Instead, a connection must
 * deliver a whole request head within {@code headerTimeout} of opening, and a next one within
 * {@code keepAliveTimeout} of the moment it has no request left in flight (the keep-alive idle time,
 * longer: clients keep idle connections for a while), else it is closed: an HTTP/1 connection at once, an
 * HTTP/2 connection with a {@code GOAWAY} first, so that a client opening a stream just then knows to
 * retry it. Every request must deliver its whole body within {@code bodyTimeout} of its head, else it is
 * answered 408 and its connection closed (an HTTP/2 stream is reset instead, its connection lives on).
 *
 * <p>The deadlines are checked by a {@link DeadlineSweep}: a slow client is cut off up to
 * {@link DeadlineSweep#RESOLUTION} after its timeout, never before. One instance per server: its state is
 * confined to that server's event loop.
 *
 * <pre>{@code
 * SlowClientGuard guard = new SlowClientGuard(vertx, Duration.ofSeconds(10), Duration.ofSeconds(75),
 *         Duration.ofSeconds(60), reason -> log.info("closed a connection: " + reason), connection -> { });
 * server.connectionHandler(connection -> {
 *     guard.onConnection(connection);
 *     connection.closeHandler(v -> guard.onClose(connection));
 * }).requestHandler(guard.guarding(router));
 * }</pre>
 */
public final class SlowClientGuard {

    static final String HEADER_TIMEOUT = "header_timeout";
    static final String KEEP_ALIVE_TIMEOUT = "keep_alive_timeout";
    static final String BODY_TIMEOUT = "body_timeout";

    private final DeadlineSweep deadlines;
    private final long headerTimeoutMillis;
    private final long keepAliveTimeoutMillis;
    private final long bodyTimeoutMillis;
    private final Consumer<String> closedBecause;
    private final Consumer<HttpConnection> firstRequest;
    private final Map<HttpConnection, Watch> watches = new HashMap<>();

    /**
     * One connection's wait for a request head: armed while it has no request in flight (on HTTP/2 always,
     * and checked as it fires).
     */
    private final class Watch {
        final HttpConnection connection;
        final Deadline idle = deadlines.deadline(this::expired);
        /** Requests in flight; an HTTP/2 stream reset by its client is found closed here later. */
        final List<HttpServerRequest> inFlight = new ArrayList<>();
        boolean served;

        Watch(HttpConnection connection) {
            this.connection = connection;
        }

        /** Forgets the requests whose stream ended without an end of response: reset by their client. */
        void pruneFinished() {
            inFlight.removeIf(request -> request.response().ended() || request.response().closed());
        }

        private void expired() {
            pruneFinished();
            if (!inFlight.isEmpty()) {
                idle.arm(keepAliveTimeoutMillis);
                return;
            }
            closedBecause.accept(served ? KEEP_ALIVE_TIMEOUT : HEADER_TIMEOUT);
            if (connection.protocolVersion() == HttpVersion.HTTP_2) {
                connection.shutdown(Duration.ZERO);
            } else {
                connection.close();
            }
        }
    }

    /**
     * @param closedBecause told the reason each time the guard closes a connection: header_timeout,
     *                      keep_alive_timeout or body_timeout
     * @param firstRequest  told when a connection's first request head arrives
     */
    public SlowClientGuard(Vertx vertx, Duration headerTimeout, Duration keepAliveTimeout, Duration bodyTimeout,
                           Consumer<String> closedBecause, Consumer<HttpConnection> firstRequest) {
        this.deadlines = new DeadlineSweep(vertx, Ticker.system(), DeadlineSweep.RESOLUTION);
        this.headerTimeoutMillis = requirePositive("headerTimeout", headerTimeout);
        this.keepAliveTimeoutMillis = requirePositive("keepAliveTimeout", keepAliveTimeout);
        this.bodyTimeoutMillis = requirePositive("bodyTimeout", bodyTimeout);
        this.closedBecause = closedBecause;
        this.firstRequest = firstRequest;
    }

    /** Call for each new connection: starts the wait for its first request head. */
    public void onConnection(HttpConnection connection) {
        Watch watch = new Watch(connection);
        watches.put(connection, watch);
        watch.idle.arm(headerTimeoutMillis);
    }

    /** Call when a connection closes. */
    public void onClose(HttpConnection connection) {
        Watch watch = watches.remove(connection);
        if (watch != null) {
            watch.idle.disarm();
        }
    }

    /** {@code next} with the body deadline, and the wait for the next head once no request is in flight. */
    public Handler<HttpServerRequest> guarding(Handler<HttpServerRequest> next) {
        return request -> {
            boolean http1 = request.version() != HttpVersion.HTTP_2;
            Watch watch = watches.get(request.connection());
            if (watch != null) {
                if (http1) {
                    watch.idle.disarm();
                } else {
                    // stays armed: a stream its client resets never ends, and is found closed when this fires
                    watch.idle.arm(keepAliveTimeoutMillis);
                }
                if (!watch.served) {
                    watch.served = true;
                    firstRequest.accept(request.connection());
                }
                watch.pruneFinished();
                watch.inFlight.add(request);
            }
            Deadline body = request.isEnded() ? null : deadlines.deadline(() -> bodyTooSlow(request, http1));
            if (body != null) {
                body.arm(bodyTimeoutMillis);
            }
            request.response().endHandler(v -> {
                if (body != null) {
                    body.disarm();
                }
                if (watch != null) {
                    watch.inFlight.remove(request);
                    if (watch.inFlight.isEmpty() && !request.response().closed()) {
                        watch.idle.arm(keepAliveTimeoutMillis);
                    }
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
        closedBecause.accept(BODY_TIMEOUT);
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
