package io.infergate.gateway.security;

import io.infergate.gateway.config.RateLimitsConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;

/**
 * The one connection to Redis ({@code rate_limits.redis}) that shared limits and runtime API keys go
 * through. Connecting never blocks: it starts at once and is tried again every {@link #RETRY_INTERVAL}
 * until it succeeds; Lettuce reconnects by itself after that. Commands fail at once while disconnected
 * and time out after {@code rate_limits.redis.timeout_ms}.
 *
 * <pre>{@code
 * RedisLink redis = RedisLink.connect(config.rateLimits());
 * redis.commands().ifPresent(commands -> commands.get("infergate:keys:version"));
 * }</pre>
 */
public final class RedisLink implements AutoCloseable {

    static final Duration RETRY_INTERVAL = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(RedisLink.class.getName());

    private final RedisClient client;
    private final RedisURI uri;
    private final AtomicBoolean connecting = new AtomicBoolean();
    private final List<Runnable> onConnected = new CopyOnWriteArrayList<>();
    private final CompletableFuture<StatefulRedisConnection<String, String>> firstConnection = new CompletableFuture<>();
    private final Duration timeout;
    private volatile StatefulRedisConnection<String, String> connection;
    private volatile boolean closed;

    private RedisLink(RateLimitsConfig config) {
        this.timeout = config.redisTimeout();
        this.uri = RedisURI.create(config.redisUrl());
        uri.setTimeout(config.redisTimeout());
        this.client = RedisClient.create();
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(config.redisTimeout()))
                .build());
    }

    /** Starts connecting and returns at once. */
    public static RedisLink connect(RateLimitsConfig config) {
        RedisLink link = new RedisLink(config);
        link.reconnect();
        return link;
    }

    /** Runs {@code action} (on a Redis thread) once the first connection is open, or now if it is. */
    void whenConnected(Runnable action) {
        onConnected.add(action);
        if (connection != null) {
            action.run();
        }
    }

    /** Asynchronous commands, or empty before the first connection opened. */
    Optional<RedisAsyncCommands<String, String>> commands() {
        StatefulRedisConnection<String, String> open = connection;
        return open == null ? Optional.empty() : Optional.of(open.async());
    }

    /**
     * Asynchronous commands once the first connection is open: at once when it is, else within
     * {@code rate_limits.redis.timeout_ms} or failing with a {@link java.util.concurrent.TimeoutException}
     * (a gateway just started, whose first request should not fail for a connection a moment away).
     */
    CompletionStage<RedisAsyncCommands<String, String>> commandsSoon() {
        StatefulRedisConnection<String, String> open = connection;
        if (open != null) {
            return CompletableFuture.completedFuture(open.async());
        }
        return firstConnection.copy().orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .thenApply(StatefulRedisConnection::async);
    }

    /** {@code host:port}, for logs and messages. */
    String address() {
        return uri.getHost() + ":" + uri.getPort();
    }

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
                LOG.warning(() -> "cannot connect to Redis at " + address() + " (" + failure + "); retrying every "
                        + RETRY_INTERVAL.toMillis() + " ms");
            } else if (closed) {
                opened.closeAsync();
            } else {
                connection = opened;
                firstConnection.complete(opened);
                onConnected.forEach(Runnable::run);
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        StatefulRedisConnection<String, String> open = connection;
        if (open != null) {
            open.closeAsync();
        }
        client.shutdownAsync(0, 2, TimeUnit.SECONDS);
    }
}
