package io.infergate.loadgen.bench;

import java.time.Duration;
import java.util.Objects;

/**
 * The retry and health-check settings every proxy of a {@code faults} bench gets, each in its own
 * words, so that all of them can route around the same dead, hanging and failing servers:
 * <ul>
 *   <li>infergate: {@code retry: {max_attempts, per_try_timeout_ms}} and {@code health: {probe_interval_ms,
 *       probe_timeout_ms}};</li>
 *   <li>nginx: {@code proxy_next_upstream error timeout http_500 http_502 http_503},
 *       {@code proxy_next_upstream_tries}, {@code proxy_read_timeout} as the per-try timeout, and its
 *       default passive health check ({@code max_fails=1 fail_timeout=10s}); open-source nginx has no
 *       active one;</li>
 *   <li>HAProxy: {@code retries}, {@code option redispatch}, {@code retry-on all-retryable-errors},
 *       {@code timeout server} as the per-try timeout, and active checks of the health path
 *       ({@code check inter}, {@code fall 2 rise 2}).</li>
 * </ul>
 *
 * <pre>{@code
 * Failover failover = new Failover(4, Duration.ofMillis(500), Duration.ofMillis(200));
 * String conf = ProxyConfigs.nginx(dir, port, members, true, 1000, Optional.of(failover));
 * }</pre>
 *
 * @param maxAttempts   attempts per request, the first included
 * @param perTryTimeout how long one attempt may wait for an answer before it is retried elsewhere
 * @param probeInterval time between two active health probes of one server (infergate, HAProxy)
 */
public record Failover(int maxAttempts, Duration perTryTimeout, Duration probeInterval) {

    public Failover {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 1)");
        }
        Objects.requireNonNull(perTryTimeout, "perTryTimeout");
        Objects.requireNonNull(probeInterval, "probeInterval");
        if (!perTryTimeout.isPositive() || !probeInterval.isPositive()) {
            throw new IllegalArgumentException("perTryTimeout: " + perTryTimeout + ", probeInterval: " + probeInterval
                    + " (expected: both > 0)");
        }
    }
}
