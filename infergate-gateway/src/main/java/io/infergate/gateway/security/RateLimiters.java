package io.infergate.gateway.security;

import io.infergate.core.time.Ticker;
import io.infergate.gateway.config.RateLimitsConfig;
import io.infergate.gateway.observe.GatewayMetrics;
import io.vertx.core.Vertx;

/**
 * Builds the configured {@link RateLimiter} and keeps it tidy: local buckets that are full again are
 * forgotten every {@link #SWEEP_MILLIS}; the backend in use shows in {@code infergate_ratelimit_backend}.
 *
 * <pre>{@code
 * RateLimiter limiter = RateLimiters.start(vertx, config.rateLimits(), metrics);
 * }</pre>
 */
public final class RateLimiters {

    static final long SWEEP_MILLIS = 10_000;

    private RateLimiters() {
    }

    public static RateLimiter start(Vertx vertx, RateLimitsConfig config, GatewayMetrics metrics) {
        LocalRateLimiter local = new LocalRateLimiter(Ticker.system());
        vertx.setPeriodic(SWEEP_MILLIS, id -> local.forgetFull());
        return switch (config.backend()) {
            case LOCAL -> {
                metrics.rateLimitBackendGauge("local", () -> 1);
                yield local;
            }
            case REDIS -> {
                RedisRateLimiter redis = RedisRateLimiter.connect(config, local, Ticker.system());
                metrics.rateLimitBackendGauge("redis", () -> redis.usingRedis() ? 1 : 0);
                metrics.rateLimitBackendGauge("fallback", () -> redis.usingRedis() ? 0 : 1);
                yield redis;
            }
        };
    }
}
