package io.infergate.gateway.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the gateway stops on SIGTERM ({@code shutdown:}, in milliseconds in the file): for {@code grace} it
 * keeps serving while its health check answers 503 {@code draining}, so that load balancers take it out of
 * rotation; then it closes its listeners and lets the requests in flight finish for up to
 * {@code drainTimeout}, after which the streams still running end with an error event. With
 * {@code reusePort} its ports are bound with {@code SO_REUSEPORT}, so the next gateway can start on them
 * while this one drains.
 *
 * <pre>{@code
 * Thread.sleep(config.shutdown().grace().toMillis());
 * }</pre>
 *
 * @param grace        time between the signal and closing the listeners ({@code grace_ms}, 0 or more); default 3000 ms
 * @param drainTimeout how long requests in flight may still run once the listeners are closed
 *                     ({@code drain_timeout_ms}); default 30 000 ms
 * @param reusePort    bind both ports with {@code SO_REUSEPORT} ({@code reuse_port}); default true. Off, a
 *                     second gateway on the same ports fails to start instead of sharing them
 */
public record ShutdownConfig(Duration grace, Duration drainTimeout, boolean reusePort) {

    public static final ShutdownConfig DEFAULT =
            new ShutdownConfig(Duration.ofSeconds(3), Duration.ofSeconds(30), true);

    public ShutdownConfig {
        Objects.requireNonNull(grace, "grace");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
    }
}
