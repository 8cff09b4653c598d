package io.infergate.gateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Where rate limits are counted ({@code rate_limits:}): in this process, or in Redis so that several
 * gateway replicas share them, and what to do while Redis cannot be reached.
 *
 * <pre>{@code
 * rate_limits:
 *   backend: redis
 *   redis: {url: "redis://10.0.0.9:6379", timeout_ms: 50}
 *   fallback: local
 * }</pre>
 *
 * @param backend      local or redis
 * @param redisUrl     {@code redis.url}, e.g. {@code redis://127.0.0.1:6379}; used with the redis backend
 * @param redisTimeout {@code redis.timeout_ms}: longest a limit check waits for Redis before falling back
 * @param fallback     how requests are limited while Redis is unreachable
 */
public record RateLimitsConfig(Backend backend, URI redisUrl, Duration redisTimeout, Fallback fallback) {

    public static final RateLimitsConfig DEFAULT = new RateLimitsConfig(Backend.LOCAL,
            URI.create("redis://127.0.0.1:6379"), Duration.ofMillis(50), Fallback.LOCAL);

    public RateLimitsConfig {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(redisUrl, "redisUrl");
        Objects.requireNonNull(redisTimeout, "redisTimeout");
        Objects.requireNonNull(fallback, "fallback");
    }

    /** Where limits are counted. */
    public enum Backend {
        /** In this process: each replica counts its own requests. */
        LOCAL,
        /** In Redis, shared by every replica pointing at it. */
        REDIS
    }

    /** How requests are limited while Redis is unreachable. */
    public enum Fallback {
        /** Counted in this process, as with the local backend. */
        LOCAL,
        /** Not limited. */
        ALLOW,
        /** Refused with 503. */
        DENY
    }
}
