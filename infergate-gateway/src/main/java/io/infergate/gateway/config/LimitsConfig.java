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
 * @param headerTimeout       how long a connection may take to send a whole request head, counted from the
 *                            moment it opened or its previous response ended; then it is closed
 *                            ({@code header_timeout_ms}). Also the keep-alive idle time. Default 10 s.
 * @param bodyTimeout         how long a request may take to send its whole body once its head arrived; then it
 *                            is answered 408 and its connection closed ({@code body_timeout_ms}). Default 60 s.
 */
public record LimitsConfig(long maxBodyBytes, int maxHeaderBytes, int maxRequestLineBytes, Duration headerTimeout,
                           Duration bodyTimeout) {

    public static final LimitsConfig DEFAULT = new LimitsConfig(10L * 1024 * 1024, 16 * 1024, 8 * 1024,
            Duration.ofSeconds(10), Duration.ofSeconds(60));

    public LimitsConfig {
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        Objects.requireNonNull(bodyTimeout, "bodyTimeout");
    }
}
