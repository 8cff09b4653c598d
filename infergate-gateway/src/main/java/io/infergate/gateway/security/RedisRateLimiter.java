package io.infergate.gateway.security;

import io.infergate.core.limit.BucketStatus;
import io.infergate.core.limit.LimitCharge;
import io.infergate.core.limit.LimitDecision;
import io.infergate.core.time.Ticker;
import io.infergate.gateway.config.RateLimitsConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * Limits counted in Redis, shared by every gateway replica that points at it: one Lua script per
 * request takes all its buckets' charges or none, atomically, on Redis's own clock ({@code TIME}), with
 * the arithmetic of the core's {@link io.infergate.core.limit.TokenBucket}. Buckets are hashes
 * {@code infergate:rl:<bucket>} that expire once full again.
 *
 * <p>Nothing waits on Redis: commands are asynchronous (Lettuce), fail at once while disconnected, and
 * time out after {@code rate_limits.redis.timeout_ms}. When Redis fails, requests are limited by the
 * fallback ({@code local}: this replica's own buckets; {@code allow}; {@code deny}: 503) and the change
 * is logged; Redis is tried again every {@link #RETRY_INTERVAL}, and its return is logged too.
 *
 * <pre>{@code
 * RedisRateLimiter limiter = RedisRateLimiter.connect(config.rateLimits(), new LocalRateLimiter(ticker), ticker);
 * limiter.usingRedis();   // false while falling back
 * }</pre>
 */
public final class RedisRateLimiter implements RateLimiter {

    static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(RedisRateLimiter.class.getName());
    private static final String KEY_PREFIX = "infergate:rl:";

    /** What both scripts start with: Redis's clock, and a bucket's refilled level and its storing. */
    private static final String BUCKETS = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
            local function level_of(key, cap)
              local s = redis.call('HMGET', key, 'l', 't', 'c')
              if s[1] and tonumber(s[3]) == cap then
                return math.min(cap, tonumber(s[1]) + math.max(0, now - tonumber(s[2])) * cap / 60000000)
              end
              return cap
            end
            local function store(key, level, cap)
              redis.call('HSET', key, 'l', tostring(level), 't', now, 'c', cap)
              redis.call('PEXPIRE', key, math.ceil((cap - level) * 60000 / cap) + 1000)
            end
            """;

    /**
     * KEYS: buckets. ARGV: per bucket its limit per minute and amount. Returns the index (1-based) of
     * the charge that does not fit or 0, the wait in microseconds, then per bucket remaining and reset
     * (microseconds). Mirrors TokenBucket: a charge fits when the level covers min(amount, limit).
     */
    static final String ACQUIRE = BUCKETS + """
            local levels = {}
            local exceeded, wait = 0, 0
            for i = 1, #KEYS do
              local cap, amount = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
              levels[i] = level_of(KEYS[i], cap)
              local missing = math.min(amount, cap) - levels[i]
              if missing > 0 then
                local w = math.ceil(missing * 60000000 / cap)
                if w > wait then exceeded, wait = i, w end
              end
            end
            local out = {exceeded, wait}
            for i = 1, #KEYS do
              local cap = tonumber(ARGV[2 * i - 1])
              if exceeded == 0 then
                levels[i] = levels[i] - tonumber(ARGV[2 * i])
                store(KEYS[i], levels[i], cap)
              end
              out[#out + 1] = math.max(0, math.floor(levels[i]))
              out[#out + 1] = math.ceil((cap - levels[i]) * 60000000 / cap)
            end
            return out
            """;

    /** KEYS: buckets. ARGV: per bucket its limit per minute and the amount to take more (negative gives back). */
    static final String ADJUST = BUCKETS + """
            for i = 1, #KEYS do
              local cap, amount = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
              store(KEYS[i], math.min(cap, level_of(KEYS[i], cap) - amount), cap)
            end
            return 0
            """;

    private final RedisClient client;
    private final RedisURI uri;
    private final RateLimitsConfig.Fallback fallback;
    private final LocalRateLimiter local;
    private final Ticker ticker;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile boolean up;
    private volatile long retryAtNanos;
    private volatile boolean closed;

    private RedisRateLimiter(RateLimitsConfig config, LocalRateLimiter local, Ticker ticker) {
        this.uri = RedisURI.create(config.redisUrl());
        uri.setTimeout(config.redisTimeout());
        this.client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.redisTimeout()))
                .build());
        this.fallback = config.fallback();
        this.local = local;
        this.ticker = ticker;
    }

    /** Starts connecting and returns at once; until connected, requests are limited by the fallback. */
    public static RedisRateLimiter connect(RateLimitsConfig config, LocalRateLimiter local, Ticker ticker) {
        RedisRateLimiter limiter = new RedisRateLimiter(config, local, ticker);
        limiter.reconnect();
        return limiter;
    }

    /** True while limits are counted in Redis; false while the fallback applies. */
    public boolean usingRedis() {
        return up;
    }

    @Override
    public CompletionStage<LimitDecision> acquire(List<LimitCharge> charges) {
        StatefulRedisConnection<String, String> redis = connection;
        if (redis == null || (!up && ticker.read() < retryAtNanos)) {
            return fallBack(charges);
        }
        if (!up) {
            retryAtNanos = ticker.read() + RETRY_INTERVAL.toNanos();
        }
        return redis.async().<List<Object>>eval(ACQUIRE, ScriptOutputType.MULTI, keys(charges), arguments(charges))
                .handle((reply, failure) -> {
                    if (failure != null) {
                        down(failure);
                        return fallBack(charges);
                    }
                    recovered();
                    return CompletableFuture.completedFuture(decision(charges, reply));
                })
                .thenCompose(stage -> stage);
    }

    @Override
    public void adjust(List<LimitCharge> corrections) {
        StatefulRedisConnection<String, String> redis = connection;
        if (redis != null && up) {
            redis.async().eval(ADJUST, ScriptOutputType.INTEGER, keys(corrections), arguments(corrections))
                    .exceptionally(failure -> {
                        down(failure);
                        return null;
                    });
        } else if (fallback == RateLimitsConfig.Fallback.LOCAL) {
            local.adjust(corrections);
        }
    }

    private CompletionStage<LimitDecision> fallBack(List<LimitCharge> charges) {
        return switch (fallback) {
            case LOCAL -> CompletableFuture.completedFuture(local.decide(charges));
            case ALLOW -> CompletableFuture.completedFuture(new LimitDecision.Allowed(List.of()));
            case DENY -> CompletableFuture.failedFuture(new BackendUnavailable("Redis at " + uri.getHost() + ":"
                    + uri.getPort() + " is unreachable and rate_limits.fallback is deny"));
        };
    }

    private void down(Throwable failure) {
        retryAtNanos = ticker.read() + RETRY_INTERVAL.toNanos();
        if (up) {
            up = false;
            LOG.warning(() -> "rate limits: Redis at " + uri.getHost() + ":" + uri.getPort() + " failed ("
                    + failure + "); limiting by the '" + fallback.name().toLowerCase(java.util.Locale.ROOT)
                    + "' fallback until it answers again");
        }
    }

    private void recovered() {
        if (!up) {
            up = true;
            LOG.info(() -> "rate limits: counted in Redis at " + uri.getHost() + ":" + uri.getPort());
        }
    }

    /** Connects without waiting, and again every {@link #RETRY_INTERVAL} until it succeeds; Lettuce reconnects by itself after that. */
    private void reconnect() {
        if (!connecting.compareAndSet(false, true)) {
            return;
        }
        client.connectAsync(StringCodec.UTF8, uri).whenComplete((opened, failure) -> {
            connecting.set(false);
            if (failure != null) {
                if (!closed) {
                    CompletableFuture.delayedExecutor(RETRY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)
                            .execute(this::reconnect);
                }
                LOG.warning(() -> "rate limits: cannot connect to Redis at " + uri.getHost() + ":" + uri.getPort()
                        + " (" + failure + "); limiting by the '" + fallback.name().toLowerCase(java.util.Locale.ROOT)
                        + "' fallback, retrying every " + RETRY_INTERVAL.toMillis() + " ms");
            } else {
                connection = opened;
                recovered();
            }
        });
    }

    private static String[] keys(List<LimitCharge> charges) {
        String[] keys = new String[charges.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = KEY_PREFIX + charges.get(i).bucket();
        }
        return keys;
    }

    private static String[] arguments(List<LimitCharge> charges) {
        String[] args = new String[charges.size() * 2];
        for (int i = 0; i < charges.size(); i++) {
            args[2 * i] = Long.toString(charges.get(i).perMinute());
            args[2 * i + 1] = Long.toString(charges.get(i).amount());
        }
        return args;
    }

    private static LimitDecision decision(List<LimitCharge> charges, List<Object> reply) {
        int exceeded = ((Long) reply.get(0)).intValue();
        long waitNanos = TimeUnit.MICROSECONDS.toNanos((Long) reply.get(1));
        List<BucketStatus> statuses = new ArrayList<>(charges.size());
        for (int i = 0; i < charges.size(); i++) {
            LimitCharge charge = charges.get(i);
            statuses.add(new BucketStatus(charge.kind(), charge.perMinute(), (Long) reply.get(2 + 2 * i),
                    TimeUnit.MICROSECONDS.toNanos((Long) reply.get(3 + 2 * i))));
        }
        return exceeded == 0 ? new LimitDecision.Allowed(statuses)
                : new LimitDecision.Limited(statuses, charges.get(exceeded - 1), waitNanos);
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisConnection<String, String> redis = connection;
        if (redis != null) {
            redis.closeAsync();
        }
        client.shutdownAsync(0, 2, TimeUnit.SECONDS);
    }
}
