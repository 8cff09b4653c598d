package io.infergate.gateway.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;

/**
 * Hears one request's response as the proxy relays it, on the request's event loop: the head (with
 * the response headers still open for additions), each body chunk, and the end, whatever ended it.
 * The rate limiter uses it to add {@code x-ratelimit-*} headers and to settle tokens against the
 * {@code usage} the endpoint reports.
 *
 * <pre>{@code
 * ExchangeListener usage = new ExchangeListener() {
 *     public void onChunk(Buffer chunk) { scanner.feed(chunk); }
 *     public void onEnd() { settle(scanner.totalTokens()); }
 * };
 * }</pre>
 */
public interface ExchangeListener {

    /** Hears nothing. */
    ExchangeListener NONE = new ExchangeListener() {
    };

    /** The endpoint answered {@code status}; {@code headers} are about to go to the client. */
    default void onResponseHead(int status, MultiMap headers) {
    }

    /** A chunk of the response body, relayed to the client. */
    default void onChunk(Buffer chunk) {
    }

    /** The exchange is over: relayed in full, cut, answered with an error, or abandoned by the client. Called once. */
    default void onEnd() {
    }
}
