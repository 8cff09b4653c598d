package io.infergate.gateway.proxy;

import io.infergate.core.retry.RetryDecision;
import io.infergate.gateway.api.AnswerTokens;
import io.infergate.gateway.api.ApiError;
import io.infergate.gateway.event.AttemptObserver;
import io.infergate.gateway.event.Outcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

import java.util.Locale;

/**
 * Relays the response of the attempt that won to the client: the status, the end-to-end headers and
 * the gateway's own, then each chunk as it arrives, pausing the endpoint while the client's write
 * queue is full. When the endpoint breaks off mid-response, a token stream ends with an SSE error event
 * and any other response with a reset, so that a cut response never looks complete. The head is put
 * together with the first chunk (or the end): until then nothing has reached the client, and the relay
 * can be {@linkplain #abandon abandoned} for a retry (a stream whose endpoint was ejected as down after
 * its head and before its first token).
 *
 * <pre>{@code
 * new ResponseRelay(proxy, response, listener, exchange).relay(winner, upstream, requestId);
 * }</pre>
 *
 * <p>All methods run on the event loop of the client's connection.
 */
final class ResponseRelay {

    private static final String EVENT_STREAM = "text/event-stream";

    /** What the relay needs of its exchange. */
    interface Exchange {
        /** True once the exchange is over, for instance because the client went away. */
        boolean finished();

        /** The first chunk of the body is about to go to the client. */
        void firstChunkRelayed();

        /** Ends the exchange with {@code outcome}. */
        void finish(Outcome outcome);
    }

    private final InferenceProxy proxy;
    private final HttpServerResponse response;
    private final ExchangeListener listener;
    private final Exchange exchange;
    private Attempt winner;
    private HttpClientResponse upstream;
    private boolean firstChunkRelayed;
    private boolean eventStream;
    /** Hears the winner's tokens; {@link AttemptObserver#NONE} when no observer listens, and then nothing is counted. */
    private AttemptObserver observer = AttemptObserver.NONE;
    private AnswerTokens tokens;

    ResponseRelay(InferenceProxy proxy, HttpServerResponse response, ExchangeListener listener, Exchange exchange) {
        this.proxy = proxy;
        this.response = response;
        this.listener = listener;
        this.exchange = exchange;
    }

    /** Relays {@code winner}'s response {@code upstream}: its head with its first chunk, then its body until it ends. */
    void relay(Attempt winner, HttpClientResponse upstream, String requestId) {
        this.winner = winner;
        this.upstream = upstream;
        String contentType = upstream.getHeader(HttpHeaders.CONTENT_TYPE);
        eventStream = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM);
        observer = winner.observer();
        tokens = observer == AttemptObserver.NONE ? null : new AnswerTokens();
        Outcome outcome = Outcome.ofStatus(upstream.statusCode());
        upstream.handler(chunk -> relayChunk(upstream, chunk, requestId));
        upstream.exceptionHandler(cause -> brokeOff(winner, cause, requestId));
        upstream.endHandler(v -> {
            winner.progressed();
            if (!exchange.finished()) {
                if (tokens != null && tokens.outputTokens() > 0) {
                    observer.answered(tokens.outputTokens(), proxy.ticker().read());
                }
                startResponse(requestId);
                // Finish first: the client may send its next request the moment the response ends, and
                // must find this one's slot and limits released.
                exchange.finish(outcome);
                response.end();
            }
        });
    }

    /** True once the response head went out (with the first chunk): from then on the client sees this response. */
    boolean started() {
        return firstChunkRelayed;
    }

    /** The attempt whose response this relays. */
    Attempt winner() {
        return winner;
    }

    /**
     * Stops relaying, before anything reached the client (the winner is still in {@link HeadWaits}): the
     * exchange retries elsewhere.
     */
    void abandon() {
        upstream.handler(null);
        upstream.exceptionHandler(null);
        upstream.endHandler(null);
    }

    /** Puts the response head together, once: it goes out with the first chunk or the end. */
    private void startResponse(String requestId) {
        if (firstChunkRelayed) {
            return;
        }
        firstChunkRelayed = true;
        winner.firstByteRelayed();
        int status = upstream.statusCode();
        response.setStatusCode(status);
        Headers.copyEndToEnd(upstream.headers(), response.headers());
        response.putHeader(Headers.ENDPOINT, winner.endpoint().id());
        response.putHeader(Headers.MODEL, winner.model());
        response.putHeader(Headers.REQUEST_ID, requestId);
        listener.onResponseHead(status, response.headers());
        String length = upstream.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && !eventStream) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else {
            response.setChunked(true);
        }
    }

    private void relayChunk(HttpClientResponse upstream, Buffer chunk, String requestId) {
        winner.progressed();
        if (exchange.finished()) {
            return;
        }
        if (!firstChunkRelayed) {
            startResponse(requestId);
            exchange.firstChunkRelayed();
        }
        if (tokens != null) {
            observeTokens(chunk);
        }
        listener.onChunk(chunk);
        response.write(chunk);
        if (response.writeQueueFull()) {
            upstream.pause();
            response.drainHandler(v -> upstream.resume());
        }
    }

    /** Counts {@code chunk}'s tokens; a stream's first and later tokens go to the observer as they come. */
    private void observeTokens(Buffer chunk) {
        int before = tokens.events();
        tokens.feed(chunk);
        int now = tokens.events();
        if (eventStream && now > before) {
            long nowNanos = proxy.ticker().read();
            if (before == 0) {
                observer.firstToken(nowNanos);
            }
            observer.tokens(now, nowNanos);
        }
    }

    private void brokeOff(Attempt winner, Throwable cause, String requestId) {
        if (exchange.finished()) {
            return;
        }
        startResponse(requestId);
        String id = winner.endpoint().id();
        proxy.observer().attemptFailed(winner.sent(), "stream_cut", proxy.ticker().read());
        proxy.observer().gaveUp(RetryDecision.Reason.RESPONSE_STARTED);
        endWith(ApiError.upstreamFailed("endpoint '" + id + "' failed mid-response: " + Attempt.describe(cause)));
        exchange.finish(Outcome.FAILED);
    }

    /**
     * Ends the response before the endpoint did, so that it cannot look complete: a token stream with
     * {@code error} as its last event, any other response with a reset.
     */
    void endWith(ApiError error) {
        if (eventStream) {
            response.end(error.toSseEvent());
        } else {
            response.reset();
        }
    }
}
