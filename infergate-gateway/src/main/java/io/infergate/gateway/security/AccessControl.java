package io.infergate.gateway.security;

import io.infergate.core.time.Ticker;
import io.infergate.gateway.config.GatewayConfig;
import io.infergate.gateway.config.RateLimitsConfig;
import io.infergate.gateway.observe.GatewayMetrics;
import io.infergate.gateway.proxy.AdmissionGuard;
import io.vertx.core.Vertx;

import java.security.SecureRandom;
import java.util.Optional;

/**
 * API keys and rate limits as the config asks for them, built once per gateway. With
 * {@code rate_limits.backend: local}, limits are counted and runtime keys kept in this process; with
 * {@code redis}, both go to that Redis (one connection), so every replica shares them. Local buckets that
 * are full again are forgotten every {@link #SWEEP_MILLIS}. Gauges: {@code infergate_ratelimit_backend}
 * says where limits are counted, {@code infergate_key_store_up} whether the Redis key store answers.
 *
 * <pre>{@code
 * try (AccessControl access = AccessControl.start(vertx, config, metrics, ticker)) {
 *     AdmissionGuard guard = access.guard();
 *     KeyRegistry keys = access.keys();   // for the admin API
 * }
 * }</pre>
 */
public final class AccessControl implements AutoCloseable {

    static final long SWEEP_MILLIS = 10_000;

    private final KeyRegistry keys;
    private final AdmissionGuard guard;
    private final Optional<RedisLink> redis;

    private AccessControl(KeyRegistry keys, AdmissionGuard guard, Optional<RedisLink> redis) {
        this.keys = keys;
        this.guard = guard;
        this.redis = redis;
    }

    /**
     * Builds keys and limiters and returns at once; Redis, when configured, is connected in the background.
     *
     * @param ticker the clock the rate limiters refill their buckets by
     */
    public static AccessControl start(Vertx vertx, GatewayConfig config, GatewayMetrics metrics, Ticker ticker) {
        LocalRateLimiter local = new LocalRateLimiter(ticker);
        vertx.setPeriodic(SWEEP_MILLIS, id -> local.forgetFull());
        RateLimitsConfig limits = config.rateLimits();
        Optional<RedisLink> redis = limits.backend() == RateLimitsConfig.Backend.REDIS
                ? Optional.of(RedisLink.connect(limits)) : Optional.empty();
        RateLimiter limiter;
        KeyStore store;
        if (redis.isPresent()) {
            RedisRateLimiter shared = RedisRateLimiter.over(redis.get(), limits.fallback(), local, ticker);
            metrics.rateLimitBackendGauge("redis", () -> shared.usingRedis() ? 1 : 0);
            metrics.rateLimitBackendGauge("fallback", () -> shared.usingRedis() ? 0 : 1);
            RedisKeyStore keyStore = RedisKeyStore.start(vertx, redis.get());
            metrics.keyStoreGauge("redis", () -> keyStore.up() ? 1 : 0);
            limiter = shared;
            store = keyStore;
        } else {
            metrics.rateLimitBackendGauge("local", () -> 1);
            limiter = local;
            store = KeyStore.memory();
        }
        KeyRegistry keys = new KeyRegistry(config.tenants(), store, new SecureRandom(), System::currentTimeMillis);
        return new AccessControl(keys, new AccessGuard(keys, config.authRequired(), limiter, new ConcurrencyLimits(),
                metrics), redis);
    }

    public KeyRegistry keys() {
        return keys;
    }

    public AdmissionGuard guard() {
        return guard;
    }

    @Override
    public void close() {
        redis.ifPresent(RedisLink::close);
    }
}
