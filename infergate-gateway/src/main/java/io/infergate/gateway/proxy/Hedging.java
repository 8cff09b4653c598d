package io.infergate.gateway.proxy;

import io.infergate.core.request.RoutingRequest;
import io.infergate.core.retry.FirstByteTimeouts;
import io.infergate.core.retry.HedgingPolicy;

import java.util.Objects;

/**
 * Hedging as the proxy applies it: which requests are hedged and when ({@link HedgingPolicy}), and the
 * recent first-byte latency of each pool and request shape, which every attempt that gets its response
 * head records into: a long non-streamed answer is hedged after what long answers need, not after the
 * short ones' percentile.
 *
 * <pre>{@code
 * Hedging hedging = new Hedging(HedgingPolicy.builder().build(),
 *         new FirstByteTimeouts(() -> AdaptiveTimeout.builder().window(Duration.ofSeconds(10), 10).build()));
 * long after = hedging.hedgeAfterNanos("chat", routing, now);     // when an attempt is sent; -1: none
 * hedging.firstByte("chat", routing, firstByteNanos, now);         // when its response head comes
 * }</pre>
 *
 * @param policy     which requests get a second attempt, and after which percentile
 * @param firstBytes the recent first-byte latencies, per pool and request shape, at the configured percentile
 */
public record Hedging(HedgingPolicy policy, FirstByteTimeouts firstBytes) {

    public Hedging {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(firstBytes, "firstBytes");
    }

    /** How long after sending {@code request} to {@code pool} its hedge is due, or -1 when it is not hedged. */
    long hedgeAfterNanos(String pool, RoutingRequest request, long nowNanos) {
        return policy.hedgeAfterNanos(request, firstBytes.percentileNanos(pool, request, nowNanos));
    }

    /** An attempt of {@code request} to {@code pool} got its response head {@code firstByteNanos} after it was sent. */
    void firstByte(String pool, RoutingRequest request, long firstByteNanos, long nowNanos) {
        firstBytes.record(pool, request, firstByteNanos, nowNanos);
    }
}
