package io.infergate.gateway.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Limits on what a client may send, and how slowly ({@code limits:}).
 *
 * <pre>{@code
 * new HttpServerOptions().setMaxHeaderSize(limits.maxHeaderBytes())
 *         .setMaxInitialLineLength(limits.maxRequestLineBytes());
 * }</pre>
 *
 * @param maxBodyBytes        largest request body accepted; larger ones are answered 413. Default 10 MiB.
 * @param maxHeaderBytes      largest request head (all header lines together); larger ones are answered 431.
 *                            Default 16 KiB.
 * @param maxRequestLineBytes longest request line ({@code POST /v1/... HTTP/1.1}); longer ones are answered
 *                            414. Default 8 KiB.
 * @param headerTimeout       how long a new connection may take to send its first whole request head; then it
 *                            is closed ({@code header_timeout_ms}). Default 10 s.
 * @param keepAliveTimeout    how long a connection may take to send its next whole request head once the
 *                            previous response ended; then it is closed ({@code keep_alive_timeout_ms}). An
 *                            HTTP/2 connection may stay this long with no stream open; then it gets a
 *                            {@code GOAWAY} and is closed.
 *                            Default 75 s, as nginx: longer than the idle time of common HTTP clients, which
 *                            would otherwise send a request on a connection the gateway is closing and see
 *                            an I/O error they do not retry (a POST is not idempotent).
 * @param bodyTimeout         how long a request may take to send its whole body once its head arrived; then it
 *                            is answered 408 and its connection closed ({@code body_timeout_ms}). Default 60 s.
 * @param maxConnectionsPerAddress connections one client address may hold open on a listener; more are closed as
 *                            they open ({@code max_connections_per_address}). 0 means no limit. Default 4096:
 *                            an HTTP/1.1 client needs one connection per request in flight, so a busy client or
 *                            a NAT streaming thousands of answers at once stays under it, while one address
 *                            cannot take more than a sixteenth of a common 65 536 open-file limit.
 * @param maxOpeningConnectionsPerAddress connections one client address may have opening at once: accepted, with
 *                            no request head yet (TLS handshake, HTTP/2 preface, head); more wait, unread and
 *                            without TLS work, for one of them to finish ({@code max_opening_connections_per_address}).
 *                            0 means no limit. Default 64: a client opening many connections at once only waits a
 *                            few handshakes' time, while an address whose connections the gateway keeps closing
 *                            (idle, slow headers) and which reopens them at once costs at most 64 TLS handshakes
 *                            at a time.
 * @param http2               limits on each HTTP/2 connection ({@code http2:})
 */
public record LimitsConfig(long maxBodyBytes, int maxHeaderBytes, int maxRequestLineBytes, Duration headerTimeout,
                           Duration keepAliveTimeout, Duration bodyTimeout, int maxConnectionsPerAddress,
                           int maxOpeningConnectionsPerAddress, Http2Limits http2) {

    public static final LimitsConfig DEFAULT = new LimitsConfig(10L * 1024 * 1024, 16 * 1024, 8 * 1024,
            Duration.ofSeconds(10), Duration.ofSeconds(75), Duration.ofSeconds(60), 4096, 64, Http2Limits.DEFAULT);

    public LimitsConfig {
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(keepAliveTimeout, "keepAliveTimeout");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
        Objects.requireNonNull(http2, "http2");
    }
}
