package io.infergate.gateway.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits on what one HTTP/2 connection may ask of the gateway ({@code limits.http2:}). HTTP/2 is offered on
 * TLS listeners only (through ALPN), so these apply there.
 *
 * <pre>{@code
 * new HttpServerOptions().setInitialSettings(new Http2Settings()
 *         .setMaxConcurrentStreams(limits.http2().maxConcurrentStreams()));
 * }</pre>
 *
 * @param maxConcurrentStreams streams a client may have open at once on one connection, announced as
 *                             {@code SETTINGS_MAX_CONCURRENT_STREAMS}; a stream over it is reset with
 *                             {@code REFUSED_STREAM}. Default 100: the least RFC 9113 recommends, Vert.x's
 *                             own default, near nginx's 128; an HTTP/2 client queues further requests
 *                             rather than failing them.
 * @param maxResets            {@code RST_STREAM} frames a connection may send (or make the gateway send)
 *                             within {@code resetWindow}; one more and the connection gets a
 *                             {@code GOAWAY ENHANCE_YOUR_CALM} and is closed (the 2023 "rapid reset" attack,
 *                             CVE-2023-44487, and its 2025 variant). Default 200.
 * @param resetWindow          the window of {@code maxResets}, whole seconds ({@code reset_window_ms}).
 *                             Default 10 s: 200 per 10 s cuts a flood after 200 streams, while a client
 *                             multiplexing many users may still cancel 20 answers a second, which is more
 *                             than users press "stop".
 */
public record Http2Limits(int maxConcurrentStreams, int maxResets, Duration resetWindow) {

    public static final Http2Limits DEFAULT = new Http2Limits(100, 200, Duration.ofSeconds(10));

    public Http2Limits {
        Objects.requireNonNull(resetWindow, "resetWindow");
        if (resetWindow.toMillis() % 1000 != 0 || resetWindow.isNegative() || resetWindow.isZero()) {
            throw new IllegalArgumentException("resetWindow: " + resetWindow + " (expected: whole seconds, > 0)");
        }
    }
}
