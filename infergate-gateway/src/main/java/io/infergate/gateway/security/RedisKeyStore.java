package io.infergate.gateway.security;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.gateway.config.TenantConfig;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * Runtime API keys in Redis, shared by every gateway replica pointing at it and kept across restarts.
 * Redis holds the hash {@code infergate:keys} (key id → the grant as JSON, with the salted hash, never
 * the key) and {@code infergate:keys:version}, set to a new random value by every change (random rather
 * than counted, so that a Redis restarted empty cannot repeat a version a replica has seen). Each replica keeps a
 * cache: it asks Redis for a key it does not know (so a key created on another replica works at once),
 * and every {@link #REFRESH_INTERVAL} reads the version and, when it moved, the whole hash (so a key
 * revoked on another replica stops working here within about that interval). A key revoked here stops
 * at once.
 *
 * <p>While Redis is unreachable, cached keys keep working, unknown ones cannot be checked, and creating
 * or revoking fails with {@link KeyStore.Unavailable}; {@code infergate_key_store_up} reads 0 and the
 * change is logged, as is the return.
 *
 * <pre>{@code
 * RedisKeyStore store = RedisKeyStore.start(vertx, RedisLink.connect(config.rateLimits()));
 * store.up();   // false while Redis is unreachable
 * }</pre>
 */
public final class RedisKeyStore implements KeyStore {

    static final Duration REFRESH_INTERVAL = Duration.ofSeconds(1);
    static final String HASH = "infergate:keys";
    static final String VERSION = "infergate:keys:version";
    private static final Logger LOG = Logger.getLogger(RedisKeyStore.class.getName());
    private static final ObjectMapper JSON = new ObjectMapper();
    /** KEYS: hash, version. ARGV: new version, id, grant. Adds the key unless its id is taken; 1 when added. */
    private static final RedisScript ADD = new RedisScript("""
            if redis.call('HSETNX', KEYS[1], ARGV[2], ARGV[3]) == 1 then
              redis.call('SET', KEYS[2], ARGV[1])
              return 1
            end
            return 0
            """, ScriptOutputType.INTEGER);
    /** KEYS: hash, version. ARGV: new version, id. 1 when the key was there. */
    private static final RedisScript REMOVE = new RedisScript("""
            if redis.call('HDEL', KEYS[1], ARGV[2]) == 1 then
              redis.call('SET', KEYS[2], ARGV[1])
              return 1
            end
            return 0
            """, ScriptOutputType.INTEGER);
    private static final String[] KEYS = {HASH, VERSION};

    private final RedisLink redis;
    private final Map<String, KeyGrant> cache = new ConcurrentHashMap<>();
    /** Changes made through this replica; a refresh read before one of them is not applied. */
    private final AtomicLong localChanges = new AtomicLong();
    private volatile String seenVersion = "";
    private volatile boolean up;

    private RedisKeyStore(RedisLink redis) {
        this.redis = redis;
    }

    /** Loads the keys as soon as Redis is connected, then refreshes them every {@link #REFRESH_INTERVAL}. */
    public static RedisKeyStore start(Vertx vertx, RedisLink redis) {
        RedisKeyStore store = new RedisKeyStore(redis);
        redis.whenConnected(store::refresh);
        vertx.setPeriodic(REFRESH_INTERVAL.toMillis(), id -> store.refresh());
        return store;
    }

    /** True while Redis answers. */
    public boolean up() {
        return up;
    }

    @Override
    public CompletionStage<Optional<KeyGrant>> find(String id) {
        KeyGrant cached = cache.get(id);
        if (cached != null) {
            return CompletableFuture.completedFuture(Optional.of(cached));
        }
        return call("look up key '" + id + "'", commands -> commands.hget(HASH, id))
                .thenApply(stored -> stored == null ? Optional.<KeyGrant>empty() : decode(id, stored))
                .thenApply(found -> {
                    found.ifPresent(grant -> cache.put(id, grant));
                    return found;
                });
    }

    @Override
    public CompletionStage<Boolean> add(KeyGrant grant) {
        localChanges.incrementAndGet();
        return call("create key '" + grant.id() + "'", commands -> ADD.<Long>run(commands, KEYS, newVersion(),
                grant.id(), encode(grant)))
                .thenApply(added -> {
                    if (added == 1) {
                        cache.put(grant.id(), grant);
                    }
                    return added == 1;
                });
    }

    @Override
    public CompletionStage<Boolean> remove(String id) {
        localChanges.incrementAndGet();
        return call("revoke key '" + id + "'", commands -> REMOVE.<Long>run(commands, KEYS, newVersion(), id))
                .thenApply(removed -> {
                    cache.remove(id);
                    return removed == 1;
                });
    }

    @Override
    public Collection<KeyGrant> known() {
        return List.copyOf(cache.values());
    }

    /** Reads the version and, when it moved since the last refresh, every key. */
    private void refresh() {
        long changesBefore = localChanges.get();
        call("read the key version", commands -> commands.get(VERSION)).thenCompose(version -> {
            String current = version == null ? "none" : version;
            if (current.equals(seenVersion)) {
                return CompletableFuture.completedFuture(null);
            }
            return call("read the keys", commands -> commands.hgetall(HASH)).thenAccept(stored -> {
                if (localChanges.get() != changesBefore) {
                    return;   // read before a change made here: the next refresh reads again
                }
                Map<String, KeyGrant> fresh = new HashMap<>();
                stored.forEach((id, value) -> decode(id, value).ifPresent(grant -> fresh.put(id, grant)));
                cache.keySet().retainAll(fresh.keySet());
                cache.putAll(fresh);
                seenVersion = current;
            });
        }).exceptionally(failure -> null);
    }

    /** Runs {@code command} and keeps {@link #up} current; fails with {@link KeyStore.Unavailable}. */
    private <T> CompletionStage<T> call(String what,
                                        Function<RedisAsyncCommands<String, String>, CompletionStage<T>> command) {
        return redis.commandsSoon().thenCompose(command).handle((result, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                if (up) {
                    up = false;
                    LOG.warning(() -> "API keys: Redis at " + redis.address() + " failed (" + cause + "); cached keys "
                            + "keep working, unknown keys cannot be checked, creating and revoking keys fail until it "
                            + "answers again");
                }
                throw new KeyStore.Unavailable("cannot " + what + ": Redis at " + redis.address() + " "
                        + (cause instanceof TimeoutException ? "is not connected yet" : "failed (" + cause.getMessage() + ")"));
            }
            if (!up) {
                up = true;
                LOG.info(() -> "API keys: runtime keys kept in Redis at " + redis.address());
            }
            return result;
        });
    }

    private static String newVersion() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    static String encode(KeyGrant grant) {
        ObjectNode node = JSON.createObjectNode();
        node.put("name", grant.name());
        node.put("tenant", grant.tenant());
        node.put("hash", grant.hash().toString());
        grant.models().forEach(node.putArray("models")::add);
        node.put("priority", grant.priority());
        grant.maxPriority().ifPresent(max -> node.put("max_priority", max));
        node.putObject("limits").put("rpm", grant.limits().requestsPerMinute())
                .put("tpm", grant.limits().tokensPerMinute()).put("max_concurrent", grant.limits().maxConcurrent());
        node.put("created", grant.createdEpochMillis());
        return node.toString();
    }

    /** The grant stored under {@code id}; empty (and logged) when it cannot be read. */
    static Optional<KeyGrant> decode(String id, String stored) {
        try {
            JsonNode node = JSON.readTree(stored);
            List<String> models = new ArrayList<>();
            node.path("models").forEach(model -> models.add(model.asText()));
            JsonNode limits = node.path("limits");
            KeyHash hash = KeyHash.parse(node.path("hash").asText());
            if (!hash.id().equals(id)) {
                throw new IllegalArgumentException("hash: of key '" + hash.id() + "' (expected one of key '" + id + "')");
            }
            return Optional.of(new KeyGrant(id, node.path("name").asText(""), node.path("tenant").asText(), hash,
                    models, node.path("priority").asText(), Optional.ofNullable(node.path("max_priority").textValue()),
                    new TenantConfig.Limits(limits.path("rpm").asLong(), limits.path("tpm").asLong(),
                            limits.path("max_concurrent").asInt()),
                    KeyGrant.Source.RUNTIME, node.path("created").asLong()));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warning(() -> "API keys: ignoring key '" + id + "' in Redis hash " + HASH + ": " + e.getMessage());
            return Optional.empty();
        }
    }
}
