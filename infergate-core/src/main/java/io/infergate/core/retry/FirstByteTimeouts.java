package io.infergate.core.retry;

import io.infergate.core.request.RoutingRequest;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The default per-try timeout of every pool: an {@link AdaptiveTimeout} per pool and request shape, since
 * what a request needs before its first byte depends on its shape. A streamed request gets its response
 * head when the server starts the stream (at once, or with the first token); a non-streamed one only once
 * its whole answer is generated, so those are told apart by the output they ask for ({@code max_tokens} up to 256, 1 024, 4 096, more or unset).
 *
 * <pre>{@code
 * FirstByteTimeouts timeouts = new FirstByteTimeouts(() -> AdaptiveTimeout.builder().build());
 * long perTryNanos = timeouts.timeoutNanos("chat", routing, now);   // when an attempt is sent
 * timeouts.record("chat", routing, firstByteNanos, now);             // when its response head comes
 * timeouts.timeoutNanos("chat", "stream", now);                      // what streamed requests get now
 * timeouts.percentileNanos("chat", routing, now);                    // their p99, -1 until 100 were seen
 * }</pre>
 *
 * <p>Safe from any thread.
 */
public final class FirstByteTimeouts {

    /** The {@code max_tokens} bounds of the non-streamed shapes; a request above the last, or without, is the last shape. */
    private static final int[] OUTPUT_BOUNDS = {256, 1024, 4096};
    /** The shapes requests are told apart by, as metrics name them: {@code SHAPES.get(shapeOf(request))}. */
    public static final List<String> SHAPES =
            List.of("stream", "max_tokens_256", "max_tokens_1024", "max_tokens_4096", "max_tokens_more");

    private final Supplier<AdaptiveTimeout> factory;
    private final ConcurrentHashMap<Shape, AdaptiveTimeout> timeouts = new ConcurrentHashMap<>();

    /** @param factory makes the timeout of a pool and shape the first time one of its requests is seen */
    public FirstByteTimeouts(Supplier<AdaptiveTimeout> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** How long an attempt of {@code request} to an endpoint of {@code pool} may wait for its response head. */
    public long timeoutNanos(String pool, RoutingRequest request, long nowNanos) {
        return timeout(pool, request).timeoutNanos(nowNanos);
    }

    /** The timeout of requests of {@code shape} (one of {@link #SHAPES}) to {@code pool} now; for metrics. */
    public long timeoutNanos(String pool, String shape, long nowNanos) {
        int index = SHAPES.indexOf(shape);
        if (index < 0) {
            throw new IllegalArgumentException("shape: '" + shape + "' (expected one of " + SHAPES + ")");
        }
        return timeout(pool, index).timeoutNanos(nowNanos);
    }

    /**
     * The recent first-byte percentile (p99 by default) of requests shaped like {@code request} to {@code pool},
     * or -1 until enough of them were seen ({@link AdaptiveTimeout#percentileNanos}).
     */
    public long percentileNanos(String pool, RoutingRequest request, long nowNanos) {
        return timeout(pool, request).percentileNanos(nowNanos);
    }

    /** An attempt of {@code request} to an endpoint of {@code pool} got its response head after {@code firstByteNanos}. */
    public void record(String pool, RoutingRequest request, long firstByteNanos, long nowNanos) {
        timeout(pool, request).record(firstByteNanos, nowNanos);
    }

    private AdaptiveTimeout timeout(String pool, RoutingRequest request) {
        return timeout(pool, shapeOf(request));
    }

    private AdaptiveTimeout timeout(String pool, int shape) {
        return timeouts.computeIfAbsent(new Shape(pool, shape), key -> factory.get());
    }

    /** The index in {@link #SHAPES}: 0 for a streamed request; else 1 + the number of output bounds below its {@code max_tokens}. */
    static int shapeOf(RoutingRequest request) {
        if (request.stream()) {
            return 0;
        }
        int shape = 1;
        for (int bound : OUTPUT_BOUNDS) {
            if (request.maxTokens() >= 0 && request.maxTokens() <= bound) {
                return shape;
            }
            shape++;
        }
        return shape;
    }

    private record Shape(String pool, int shape) {
    }
}
