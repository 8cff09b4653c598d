package io.infergate.gateway.proxy;

import io.infergate.gateway.api.PriorityField;

import java.time.Duration;
import java.util.Objects;

/**
 * How the data plane proxies.
 *
 * @param maxBodyBytes        request bodies above this are answered 413
 * @param connectTimeout      how long to wait for a connection to an endpoint
 * @param upstreamIdleTimeout how long an attempt may wait for its response head when the per-try timeout is
 *                            longer (both are one deadline per attempt, see {@code Attempt})
 * @param pickLogSize         how many recent picks {@code /admin/picks} can explain
 * @param priorityField       the {@code priority} field each pool's servers get ({@code pools[].server_priority})
 */
public record ProxySettings(long maxBodyBytes, Duration connectTimeout, Duration upstreamIdleTimeout,
                            int pickLogSize, PriorityField priorityField) {

    public ProxySettings {
        if (maxBodyBytes < 1) {
            throw new IllegalArgumentException("maxBodyBytes: " + maxBodyBytes + " (expected: >= 1)");
        }
        if (pickLogSize < 1) {
            throw new IllegalArgumentException("pickLogSize: " + pickLogSize + " (expected: >= 1)");
        }
        Objects.requireNonNull(priorityField, "priorityField");
    }

    public static ProxySettings defaults() {
        return new ProxySettings(10L * 1024 * 1024, Duration.ofSeconds(2), Duration.ofSeconds(120), 256,
                PriorityField.NONE);
    }
}
