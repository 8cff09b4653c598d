package io.infergate.gateway.security;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.async.RedisAsyncCommands;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A Lua script run by its SHA-1 ({@code EVALSHA}), so that a call sends its keys and arguments and not
 * the script; the first call on a Redis that does not know it yet ({@code NOSCRIPT}) sends it once with
 * {@code EVAL}, which also makes Redis keep it.
 *
 * <pre>{@code
 * RedisScript acquire = new RedisScript("return redis.call('INCR', KEYS[1])", ScriptOutputType.INTEGER);
 * acquire.<Long>run(commands, new String[]{"counter"}).thenAccept(value -> ...);
 * }</pre>
 *
 * @param source     the script
 * @param outputType what it returns
 */
record RedisScript(String source, ScriptOutputType outputType, String sha1) {

    RedisScript(String source, ScriptOutputType outputType) {
        this(source, outputType, sha1(source));
    }

    /** Runs the script; the stage fails as the command does. */
    <T> CompletionStage<T> run(RedisAsyncCommands<String, String> commands, String[] keys, String... args) {
        return commands.<T>evalsha(sha1, outputType, keys, args).handle((result, failure) -> {
            if (failure == null) {
                return CompletableFuture.completedFuture(result);
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (cause instanceof RedisNoScriptException) {
                return commands.<T>eval(source, outputType, keys, args);
            }
            return CompletableFuture.<T>failedFuture(cause);
        }).thenCompose(stage -> stage);
    }

    private static String sha1(String source) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1")
                    .digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }
}
