package io.infergate.gateway.proxy;

import io.infergate.gateway.api.ApiError;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's way out on shutdown, shared by every event loop: whether it is draining (its health
 * check answers 503 and each response closes its connection), whether it has stopped accepting (a
 * request that would wait in a flow-control queue is answered 503 instead), and the inference exchanges
 * still under way, so that they can be waited for and, past the drain timeout, ended with an error.
 *
 * <pre>{@code
 * drain.begin();                                  // SIGTERM: fail readiness, keep serving
 * Thread.sleep(grace);
 * drain.stopAccepting(ApiError.shuttingDown("...")); // listeners closed: answer the queued requests
 * if (!drain.awaitIdle(drainTimeout)) {
 *     drain.cutShort(ApiError.shuttingDown("..."));   // streams end with an SSE error event
 * }
 * }</pre>
 */
public final class Drain {

    private final Set<ProxyExchange> inFlight = ConcurrentHashMap.newKeySet();
    private volatile boolean draining;
    private volatile boolean accepting = true;
    private volatile ApiError refusal;

    /** True from the shutdown signal on: readiness fails, responses carry {@code Connection: close}. */
    public boolean draining() {
        return draining;
    }

    /** True until the listeners close; after that a request that would have to queue is answered 503. */
    boolean accepting() {
        return accepting;
    }

    /** What a request that arrives too late to be served is answered. */
    ApiError refusal() {
        return refusal;
    }

    /**
     * Answers {@code /health} (on both listeners): 200 {@code {"status":"ok"}}, or 503
     * {@code {"status":"draining"}} once draining, so that readiness probes and load balancers stop sending
     * this gateway new work.
     */
    public void answerHealth(HttpServerResponse response) {
        boolean out = draining;
        response.setStatusCode(out ? 503 : 200).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(out ? "{\"status\":\"draining\"}" : "{\"status\":\"ok\"}");
    }

    public void begin() {
        draining = true;
    }

    /** The listeners are closing: answers every queued request with {@code error} (a 503 with Retry-After). */
    public void stopAccepting(ApiError error) {
        refusal = error;
        accepting = false;
        inFlight.forEach(exchange -> exchange.onContext(() -> exchange.answerIfQueued(error)));
    }

    /** Ends every exchange still running: a stream with an SSE error event, a response not begun with {@code error}. */
    public void cutShort(ApiError error) {
        inFlight.forEach(exchange -> exchange.onContext(() -> exchange.cutShort(error)));
    }

    /** The inference requests under way (queued or proxied). */
    public int inFlight() {
        return inFlight.size();
    }

    /** Waits until no inference request is under way, for at most {@code timeout}; true if none is. */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            while (!inFlight.isEmpty()) {
                long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
                if (leftMillis <= 0) {
                    return false;
                }
                wait(leftMillis);
            }
        }
        return true;
    }

    void add(ProxyExchange exchange) {
        inFlight.add(exchange);
    }

    void remove(ProxyExchange exchange) {
        if (inFlight.remove(exchange) && draining) {
            synchronized (this) {
                notifyAll();
            }
        }
    }
}
