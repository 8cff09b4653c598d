package io.infergate.gateway.proxy;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.health.StallRule;
import io.infergate.core.request.RoutingRequest;
import io.infergate.core.retry.AttemptFailure;
import io.infergate.gateway.event.AttemptObserver;
import io.infergate.gateway.event.SentAttempt;
import io.infergate.gateway.time.Deadline;
import io.infergate.gateway.time.DeadlineSweep;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.RequestOptions;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One try of a request at one endpoint: takes the endpoint's room, connects, sends the body and waits
 * for the response head within its per-try timeout (or the upstream idle timeout, when shorter; checked
 * at the {@link io.infergate.gateway.time.DeadlineSweep#RESOLUTION resolution} of the proxy's deadline
 * sweep). A head below 500 goes to the {@link Listener}
 * unread; a 5xx answer is read in full first (which frees the connection) and kept, to be relayed only
 * if no retry follows; a connect error, a lost connection, a late head or the endpoint's ejection as
 * down before the first byte went to the client ({@link HeadWaits}) is a failure. Once
 * {@link #release}d, the attempt has ended: its endpoint's room is given back and its callbacks are
 * ignored.
 *
 * <pre>{@code
 * Attempt attempt = new Attempt(proxy, slot, endpoint, routingRequest, 0, ticker.read(), listener);
 * attempt.send(options, headers -> headers.set("x-infergate-request-id", id), body, 60_000, 300_000_000L);
 * // the listener hears once, unless the attempt is released first
 * attempt.release();             // when it failed, lost a race, or the exchange is over
 * }</pre>
 *
 * <p>All methods run on the event loop of the client's connection.
 */
final class Attempt {

    /** Hears how an attempt went: one call, unless the attempt was released before. */
    interface Listener {
        /** The response head came with a status below 500; its body is not read yet. */
        void onHead(Attempt attempt, HttpClientResponse response);

        /** The endpoint answered 5xx, read in full as {@code error}. */
        void onServerError(Attempt attempt, UpstreamError error);

        /**
         * The attempt failed before a response head.
         *
         * @param kind   the kind of proxy error it counts as ({@code GatewayMetrics#proxyError})
         * @param detail what happened, for the error answer
         */
        void onFailure(Attempt attempt, AttemptFailure failure, String kind, String detail);
    }

    /** Where an attempt stands; it only moves forward. */
    private enum Stage {
        /** Sent, or still connecting: waits for the response head (a 5xx answer is read in full here). */
        SENT,
        /** A head below 500 came; no byte of the body has reached the client yet. */
        HEAD,
        /** Its response is reaching the client: it can no longer be given up for a retry. */
        RELAYING,
        /** Over: its endpoint's room is given back and its callbacks are ignored. */
        RELEASED
    }

    private final InferenceProxy proxy;
    private final int slot;
    private final Endpoint endpoint;
    private final RoutingRequest request;
    private final int raceNumber;
    private final long sentNanos;
    private final Listener listener;
    /**
     * A stall check that runs this much after it was due found its event loop (or the whole JVM) held up, by
     * a GC pause or a starved CPU: the endpoint's answers may be waiting unread in the sockets, so it does
     * not judge, and looks again at the next sweep. On time, a check runs within one sweep resolution.
     */
    private static final long LATE_CHECK_NANOS = 2 * DeadlineSweep.RESOLUTION.toNanos();

    /** Fires when the endpoint may have stalled (if before the per-try timeout), then at the per-try timeout. */
    private final Deadline headDeadline;
    /** When {@link #headDeadline} is due. */
    private long headDeadlineDueNanos;
    private long timeoutMillis;
    /** How long it may wait on an endpoint that shows no progress, or {@link StallRule#UNWATCHED}. */
    private long stallAfterNanos;
    private HttpClientRequest upstream;
    private Stage stage = Stage.SENT;
    /** The attempt as the exchange observers hear of it; set when it is sent. */
    private SentAttempt sent;
    /** Hears the rest of this attempt for the exchange observers that asked to, from its sending on. */
    private AttemptObserver observer = AttemptObserver.NONE;

    /**
     * @param request    the request as routed; flow control hears about its model when the attempt ends
     * @param raceNumber its number in the hedging race, or 0 when the request is not hedged
     */
    Attempt(InferenceProxy proxy, int slot, Endpoint endpoint, RoutingRequest request, int raceNumber, long sentNanos,
            Listener listener) {
        this.proxy = proxy;
        this.slot = slot;
        this.endpoint = endpoint;
        this.request = request;
        this.raceNumber = raceNumber;
        this.sentNanos = sentNanos;
        this.listener = listener;
        this.headDeadline = proxy.deadlines().deadline(this::headDeadlinePassed);
    }

    Endpoint endpoint() {
        return endpoint;
    }

    String model() {
        return request.model();
    }

    AttemptObserver observer() {
        return observer;
    }

    SentAttempt sent() {
        return sent;
    }

    int raceNumber() {
        return raceNumber;
    }

    long sentNanos() {
        return sentNanos;
    }

    /**
     * Takes a place on the endpoint, arms the per-try timeout and sends {@code body} with {@code options} and
     * the headers {@code writeHeaders} puts straight into the request (no map in between).
     *
     * @param stallAfterNanos when the attempt has waited this long, its endpoint is checked for a stall
     *                        ({@link StallRule#UNWATCHED}: never)
     */
    void send(RequestOptions options, Consumer<MultiMap> writeHeaders, Buffer body, long perTryTimeoutMillis,
              long stallAfterNanos) {
        sent = new SentAttempt(request, endpoint, proxy.fleet().snapshot().load(slot), proxy.fleet().count(slot),
                sentNanos);
        observer = proxy.observer().attemptSent(sent);
        proxy.fleet().acquire(slot);
        timeoutMillis = Math.min(perTryTimeoutMillis, proxy.settings().upstreamIdleTimeout().toMillis());
        this.stallAfterNanos = stallAfterNanos;
        armHeadDeadline(stallAfterNanos == StallRule.UNWATCHED ? timeoutMillis
                : Math.min(ceilMillis(stallAfterNanos), timeoutMillis), sentNanos);
        proxy.headWaits().add(this);
        proxy.client().request(options).onComplete(connected -> {
            if (stage == Stage.RELEASED) {
                if (connected.succeeded()) {
                    connected.result().reset();
                }
                return;
            }
            if (connected.failed()) {
                listener.onFailure(this, new AttemptFailure.ConnectFailed(), "connect", describe(connected.cause()));
                return;
            }
            upstream = connected.result();
            writeHeaders.accept(upstream.headers());
            upstream.send(body).onComplete(answered -> {
                if (stage == Stage.RELEASED) {
                    return;
                }
                if (answered.succeeded()) {
                    onResponse(answered.result());
                } else {
                    listener.onFailure(this, new AttemptFailure.ConnectionLost(), "upstream_reset",
                            describe(answered.cause()));
                }
            });
        });
    }

    private void onResponse(HttpClientResponse response) {
        progressed();
        int status = response.statusCode();
        if (status < 500) {
            moveTo(Stage.HEAD);
            cancelPerTryTimer();
            listener.onHead(this, response);
            return;
        }
        proxy.headWaits().remove(this);
        response.body().onComplete(read -> {
            if (stage == Stage.RELEASED) {
                return;
            }
            if (read.failed()) {
                listener.onFailure(this, new AttemptFailure.ConnectionLost(), "upstream_reset", describe(read.cause()));
                return;
            }
            MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(response.headers());
            listener.onServerError(this, new UpstreamError(status, headers, read.result(), endpoint.id()));
        });
    }

    /** Its endpoint showed progress (a head, a chunk, a response's end): it is not stalled. */
    void progressed() {
        proxy.fleet().progressed(slot, proxy.ticker().read());
    }

    /**
     * No response head yet when the endpoint may have stalled, or at the per-try timeout. An endpoint silent
     * for the stall threshold ({@link StallRule}) is stalled; one that showed progress meanwhile is busy, and
     * the attempt looks again when it may have been silent that long, or at its timeout. A stalled endpoint
     * that cannot be ejected (its pool has its share out) leaves the attempt to its timeout; a check held up
     * past {@link #LATE_CHECK_NANOS} looks again at the next sweep.
     */
    private void headDeadlinePassed() {
        long now = proxy.ticker().read();
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(now - sentNanos);
        if (waitedMillis >= timeoutMillis) {
            abandon(new AttemptFailure.TimedOut(), "timeout", "no response head within " + timeoutMillis + " ms");
            return;
        }
        long nextMillis = timeoutMillis - waitedMillis;
        if (stallAfterNanos != StallRule.UNWATCHED) {
            StallRule rule = proxy.resilience().stalls().orElseThrow().rule();
            long lastProgress = proxy.fleet().lastProgress(slot);
            if (now - headDeadlineDueNanos > LATE_CHECK_NANOS) {
                nextMillis = 1;
            } else if (rule.stalled(sentNanos, lastProgress, stallAfterNanos, now)) {
                proxy.endpointStalled(endpoint, now);
            } else {
                long silentEnoughNanos = rule.stalledAfterNanos(sentNanos, lastProgress, stallAfterNanos);
                nextMillis = Math.min(nextMillis, ceilMillis(silentEnoughNanos - now));
            }
        }
        if (stage != Stage.RELEASED) {
            armHeadDeadline(nextMillis, now);
        }
    }

    private void armHeadDeadline(long afterMillis, long nowNanos) {
        headDeadlineDueNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(afterMillis);
        headDeadline.arm(afterMillis);
    }

    /**
     * The endpoint was ejected as down before any byte of the response reached the client (no head yet, or
     * a head and no body, as a stream's head before its first token): the attempt fails at once, and is reset.
     */
    void endpointDown() {
        abandon(new AttemptFailure.EndpointEjected(), "endpoint_ejected", "endpoint '" + endpoint.id()
                + "' was ejected before the first byte of its response"
                + (stage == Stage.HEAD ? " (after its head)" : ""));
    }

    /**
     * Its endpoint stalled ({@link StallRule}) while the attempt waited for the first byte of its response:
     * the attempt fails at once, and is reset.
     */
    void endpointStalled() {
        abandon(new AttemptFailure.EndpointStalled(), "endpoint_stalled", "endpoint '" + endpoint.id()
                + "' answered nothing for " + TimeUnit.NANOSECONDS.toMillis(proxy.ticker().read() - sentNanos)
                + " ms, far longer than its pool needs");
    }

    /** The first byte of the response went to the client: from now on the attempt cannot be given up for a retry. */
    void firstByteRelayed() {
        moveTo(Stage.RELAYING);
        proxy.headWaits().remove(this);
    }

    private void moveTo(Stage next) {
        if (next.compareTo(stage) <= 0) {
            throw new IllegalStateException("an attempt cannot go from " + stage + " to " + next);
        }
        stage = next;
    }

    private void abandon(AttemptFailure failure, String kind, String detail) {
        if (stage != Stage.RELEASED) {
            HttpClientRequest abandoned = upstream;
            listener.onFailure(this, failure, kind, detail);
            // After the listener: the reset fails the send, whose callback must find the attempt released.
            if (abandoned != null) {
                abandoned.reset();
            }
        }
    }

    void cancelPerTryTimer() {
        headDeadline.disarm();
    }

    /**
     * Ends the attempt: gives the endpoint's room back to the fleet, and the observers hear (flow control
     * hands the room on); callbacks are ignored from now on.
     */
    void release() {
        moveTo(Stage.RELEASED);
        cancelPerTryTimer();
        proxy.headWaits().remove(this);
        proxy.fleet().release(slot);
        long now = proxy.ticker().read();
        proxy.observer().attemptEnded(sent, now);
        AttemptObserver ending = observer;
        observer = AttemptObserver.NONE;
        ending.ended(now);
    }

    /** Resets the request to the endpoint, if it was sent. */
    void resetUpstream() {
        if (upstream != null) {
            upstream.reset();
        }
    }

    /** {@code nanos} in whole milliseconds, rounded up, at least 1: a deadline never fires early. */
    private static long ceilMillis(long nanos) {
        return Math.max(1, (nanos + 999_999) / 1_000_000);
    }

    /** A failure's message, or its type when it has none. */
    static String describe(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
