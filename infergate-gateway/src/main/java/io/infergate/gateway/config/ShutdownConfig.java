package io.infergate.gateway.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the gateway stops on SIGTERM ({@code shutdown:}, in milliseconds in the file): for {@code grace} it
 * keeps serving while its health check answers 503 {@code draining}, so that load balancers take it out of
 * rotation; then it closes its listeners and lets the requests in flight finish for up to
 * {@code drainTimeout}, after which the streams still running end with an error event.
 *
 * <pre>{@code
 * Thread.sleep(config.shutdown().grace().toMillis());
 * }</pre>
 *
 * @param grace        time between the signal and closing the listeners ({@code grace_ms}, 0 or more); default 3000 ms
 * @param drainTimeout how long requests in flight may still run once the listeners are closed
 *                     ({@code drain_timeout_ms}); default 30 000 ms
 */
public record ShutdownConfig(Duration grace, Duration drainTimeout) {

    public static final ShutdownConfig DEFAULT = new ShutdownConfig(Duration.ofSeconds(3), Duration.ofSeconds(30));

    public ShutdownConfig {
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
    }
}
