package io.infergate.gateway.proxy;

import io.infergate.core.retry.RetryDecision;
import io.infergate.gateway.api.ApiError;
import io.infergate.gateway.observe.Outcome;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

import java.util.Locale;

/**
 * Relays the response of the attempt that won to the client: the status, the end-to-end headers and
 * the gateway's own, then each chunk as it arrives, pausing the endpoint while the client's write
 * queue is full. When the endpoint breaks off mid-response, a token stream ends with an SSE error event
 * and any other response with a reset, so that a cut response never looks complete.
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
    private boolean firstChunkRelayed;
    private boolean eventStream;

    ResponseRelay(InferenceProxy proxy, HttpServerResponse response, ExchangeListener listener, Exchange exchange) {
        this.proxy = proxy;
        this.response = response;
        this.listener = listener;
        this.exchange = exchange;
    }

    /** Sends the head of {@code winner}'s response {@code upstream}, then relays its body until it ends. */
    void relay(Attempt winner, HttpClientResponse upstream, String requestId) {
        int status = upstream.statusCode();
        response.setStatusCode(status);
        Headers.copyEndToEnd(upstream.headers(), response.headers());
        response.putHeader(Headers.ENDPOINT, winner.endpoint().id());
        response.putHeader(Headers.MODEL, winner.model());
        response.putHeader(Headers.REQUEST_ID, requestId);
        listener.onResponseHead(status, response.headers());
        String contentType = upstream.getHeader(HttpHeaders.CONTENT_TYPE);
        eventStream = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM);
        String length = upstream.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && !eventStream) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else {
            response.setChunked(true);
        }
        Outcome outcome = Outcome.ofStatus(status);
        upstream.handler(chunk -> relayChunk(upstream, chunk));
        upstream.exceptionHandler(cause -> brokeOff(winner, cause));
        upstream.endHandler(v -> {
            if (!exchange.finished()) {
                // Finish first: the client may send its next request the moment the response ends, and
                // must find this one's slot and limits released.
                exchange.finish(outcome);
                response.end();
            }
        });
    }

    private void relayChunk(HttpClientResponse upstream, Buffer chunk) {
        if (exchange.finished()) {
            return;
        }
        if (!firstChunkRelayed) {
            firstChunkRelayed = true;
            exchange.firstChunkRelayed();
        }
        listener.onChunk(chunk);
        response.write(chunk);
        if (response.writeQueueFull()) {
            upstream.pause();
            response.drainHandler(v -> upstream.resume());
        }
    }

    private void brokeOff(Attempt winner, Throwable cause) {
        if (exchange.finished()) {
            return;
        }
        String id = winner.endpoint().id();
        proxy.metrics().proxyError("stream_cut", id);
        proxy.resilience().detector().onFailure(id, proxy.ticker().read());
        proxy.metrics().retryGiveUp(RetryDecision.Reason.RESPONSE_STARTED.label());
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
