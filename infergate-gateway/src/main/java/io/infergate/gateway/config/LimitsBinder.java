package io.infergate.gateway.config;

import org.snakeyaml.engine.v2.nodes.Node;

import java.time.Duration;
import java.util.Optional;

/** The {@code limits:} section: request sizes, timeouts and the HTTP/2 abuse limits. */
final class LimitsBinder {

    private static final int MAX_HEAD_BYTES = 1024 * 1024;
    private static final int MAX_CONNECTIONS = 1_000_000;

    private final Converters convert;
    private final NodeReader reader;

    LimitsBinder(Converters convert) {
        this.convert = convert;
        this.reader = convert.reader();
    }

    Optional<LimitsConfig> bind(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            long maxBodyBytes = m.optional("max_body_bytes", (n, p) -> reader.integer(n, p, 1, Long.MAX_VALUE),
                    LimitsConfig.DEFAULT.maxBodyBytes());
            LimitsConfig defaults = LimitsConfig.DEFAULT;
            int maxHeaderBytes = m.optional("max_header_bytes", convert.intIn(1024, MAX_HEAD_BYTES),
                    defaults.maxHeaderBytes());
            int maxRequestLineBytes = m.optional("max_request_line_bytes", convert.intIn(256, MAX_HEAD_BYTES),
                    defaults.maxRequestLineBytes());
            Duration headerTimeout = m.optional("header_timeout_ms", convert.millis(), defaults.headerTimeout());
            Duration keepAliveTimeout = m.optional("keep_alive_timeout_ms", convert.millis(), defaults.keepAliveTimeout());
            Duration bodyTimeout = m.optional("body_timeout_ms", convert.millis(), defaults.bodyTimeout());
            int maxConnectionsPerAddress = m.optional("max_connections_per_address", convert.intIn(0, MAX_CONNECTIONS),
                    defaults.maxConnectionsPerAddress());
            int maxOpeningConnectionsPerAddress = m.optional("max_opening_connections_per_address",
                    convert.intIn(0, MAX_CONNECTIONS), defaults.maxOpeningConnectionsPerAddress());
            Http2Limits http2 = m.optional("http2", this::http2Limits, defaults.http2());
            m.finish();
            return new LimitsConfig(maxBodyBytes, maxHeaderBytes, maxRequestLineBytes, headerTimeout, keepAliveTimeout,
                    bodyTimeout, maxConnectionsPerAddress, maxOpeningConnectionsPerAddress, http2);
        });
    }

    private Optional<Http2Limits> http2Limits(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            Http2Limits defaults = Http2Limits.DEFAULT;
            int maxStreams = m.optional("max_concurrent_streams", convert.intIn(1, MAX_CONNECTIONS),
                    defaults.maxConcurrentStreams());
            int maxResets = m.optional("max_resets", convert.intIn(1, MAX_CONNECTIONS), defaults.maxResets());
            Duration resetWindow = m.optional("reset_window_ms", this::wholeSeconds, defaults.resetWindow());
            m.finish();
            return new Http2Limits(maxStreams, maxResets, resetWindow);
        });
    }

    /** Milliseconds that make whole seconds, for settings Netty counts in seconds. */
    private Optional<Duration> wholeSeconds(Node node, String path) {
        return reader.integer(node, path, 1000, Converters.MAX_MILLIS).filter(ms -> {
            boolean whole = ms % 1000 == 0;
            if (!whole) {
                reader.problems().add(node, path, "expected whole seconds (a multiple of 1000), found " + ms);
            }
            return whole;
        }).map(Duration::ofMillis);
    }
}
