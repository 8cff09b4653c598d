package io.infergate.gateway.config;

import io.infergate.core.health.StallRule;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Stall detection ({@code health.stall_detection:}): an endpoint that leaves a request waiting for its
 * response head longer than {@code multiplier} times its pool's recent first-byte p99 (for requests of the
 * same shape), at least {@code min}, and has answered nothing at all since that request was sent, is
 * stalled: the requests waiting on it are retried elsewhere at once and it is ejected until a probe passes
 * ({@link StallRule}).
 *
 * <pre>{@code
 * health:
 *   stall_detection: {enabled: true, multiplier: 2, min_ms: 250}
 * }</pre>
 *
 * @param enabled    on by default: a hung endpoint is noticed in a few hundred milliseconds, where failed
 *                   probes take 2.5 s
 * @param multiplier times the first-byte p99 a request may wait on a silent endpoint, at least 1; default 2:
 *                   one request in a hundred waits past the p99 on a healthy endpoint, and one that is
 *                   also the only thing the endpoint is doing waits twice as long far more rarely
 * @param min        the shortest wait before a stall ({@code min_ms}); default 250 ms, so that a pool
 *                   answering in tens of milliseconds is not judged on scheduling hiccups
 */
public record StallDetectionConfig(boolean enabled, double multiplier, Duration min) {

    public static final StallDetectionConfig DEFAULT =
            new StallDetectionConfig(true, StallRule.DEFAULT.multiplier(), StallRule.DEFAULT.min());

    public StallDetectionConfig {
        Objects.requireNonNull(min, "min");
    }

    /** The rule the gateway applies, or none when stall detection is off. */
    public Optional<StallRule> rule() {
        return enabled ? Optional.of(new StallRule(multiplier, min)) : Optional.empty();
    }
}
