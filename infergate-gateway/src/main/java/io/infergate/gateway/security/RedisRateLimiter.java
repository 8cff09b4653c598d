package io.infergate.gateway.security;

import io.infergate.core.limit.BucketStatus;
import io.infergate.core.limit.LimitCharge;
import io.infergate.core.limit.LimitDecision;
import io.infergate.core.time.Ticker;
import io.infergate.gateway.config.RateLimitsConfig;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Limits counted in Redis, shared by every gateway replica that points at it: one Lua script per
 * request takes all its buckets' charges or none, atomically, on Redis's own clock ({@code TIME}), with
 * the arithmetic of the core's {@link io.infergate.core.limit.TokenBucket}. Buckets are hashes
 * {@code infergate:rl:<bucket>} that expire once full again.
 *
 * <p>Nothing waits on Redis: commands are asynchronous (Lettuce), fail at once while disconnected, and
 * time out after {@code rate_limits.redis.timeout_ms} ({@link RedisLink}). When Redis fails, requests are
 * limited by the fallback ({@code local}: this replica's own buckets; {@code allow}; {@code deny}: 503)
 * and the change is logged; Redis is tried again every {@link RedisLink#RETRY_INTERVAL}, and its return
 * is logged too.
 *
 * <pre>{@code
 * RedisRateLimiter limiter = RedisRateLimiter.over(redis, config.rateLimits().fallback(), new LocalRateLimiter(ticker), ticker);
 * limiter.usingRedis();   // false while falling back
 * }</pre>
 */
public final class RedisRateLimiter implements RateLimiter {

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
    static final RedisScript ACQUIRE = new RedisScript(BUCKETS + """
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
            """, ScriptOutputType.MULTI);

    /** KEYS: buckets. ARGV: per bucket its limit per minute and the amount to take more (negative gives back). */
    static final RedisScript ADJUST = new RedisScript(BUCKETS + """
            for i = 1, #KEYS do
              local cap, amount = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
              store(KEYS[i], math.min(cap, level_of(KEYS[i], cap) - amount), cap)
            end
            return 0
            """, ScriptOutputType.INTEGER);

    private final RedisLink redis;
    private final RateLimitsConfig.Fallback fallback;
    private final LocalRateLimiter local;
    private final Ticker ticker;
    private volatile boolean up;
    private volatile long retryAtNanos;

    private RedisRateLimiter(RedisLink redis, RateLimitsConfig.Fallback fallback, LocalRateLimiter local, Ticker ticker) {
        this.redis = redis;
        this.fallback = fallback;
        this.local = local;
        this.ticker = ticker;
        this.retryAtNanos = ticker.read();
    }

    /** Returns at once; until {@code redis} is connected, requests are limited by the fallback. */
    public static RedisRateLimiter over(RedisLink redis, RateLimitsConfig.Fallback fallback, LocalRateLimiter local,
                                        Ticker ticker) {
        RedisRateLimiter limiter = new RedisRateLimiter(redis, fallback, local, ticker);
        redis.whenConnected(limiter::recovered);
        return limiter;
    }

    /** True while limits are counted in Redis; false while the fallback applies. */
    public boolean usingRedis() {
        return up;
    }

    @Override
    public CompletionStage<LimitDecision> acquire(List<LimitCharge> charges) {
        Optional<RedisAsyncCommands<String, String>> commands = redis.commands();
        if (commands.isEmpty() || (!up && ticker.read() - retryAtNanos < 0)) {
            return fallBack(charges);
        }
        if (!up) {
            retryAtNanos = ticker.read() + RedisLink.RETRY_INTERVAL.toNanos();
        }
        return ACQUIRE.<List<Object>>run(commands.get(), keys(charges), arguments(charges))
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
        Optional<RedisAsyncCommands<String, String>> commands = redis.commands();
        if (commands.isPresent() && up) {
            ADJUST.run(commands.get(), keys(corrections), arguments(corrections))
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
            case DENY -> CompletableFuture.failedFuture(new BackendUnavailable("Redis at " + redis.address()
                    + " is unreachable and rate_limits.fallback is deny"));
        };
    }

    private void down(Throwable failure) {
        retryAtNanos = ticker.read() + RedisLink.RETRY_INTERVAL.toNanos();
        if (up) {
            up = false;
            LOG.warning(() -> "rate limits: Redis at " + redis.address() + " failed ("
                    + failure + "); limiting by the '" + fallback.name().toLowerCase(java.util.Locale.ROOT)
                    + "' fallback until it answers again");
        }
    }

    private void recovered() {
        if (!up) {
            up = true;
            LOG.info(() -> "rate limits: counted in Redis at " + redis.address());
        }
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
}
