package io.infergate.gateway.proxy;

import io.infergate.core.retry.HedgingPolicy;
import io.infergate.core.retry.LatencyTracker;

import java.util.Map;
import java.util.Objects;

/**
 * Hedging as the proxy applies it: which requests are hedged and when ({@link HedgingPolicy}), and
 * each pool's recent first-byte latency, which every attempt that gets its response head records into.
 *
 * <pre>{@code
 * Hedging hedging = new Hedging(HedgingPolicy.builder().build(),
 *         Map.of("chat", LatencyTracker.builder().percentile(95).build()));
 * }</pre>
 *
 * @param policy           which requests get a second attempt, and after how long
 * @param firstByteLatency the first-byte latency of each pool, by pool name
 */
public record Hedging(HedgingPolicy policy, Map<String, LatencyTracker> firstByteLatency) {

    public Hedging {
        Objects.requireNonNull(policy, "policy");
        firstByteLatency = Map.copyOf(firstByteLatency);
    }

    /** The first-byte latency of {@code pool}; every configured pool has one. */
    LatencyTracker latency(String pool) {
        LatencyTracker latency = firstByteLatency.get(pool);
        if (latency == null) {
            throw new IllegalArgumentException("pool: '" + pool + "' (expected one of: " + firstByteLatency.keySet() + ")");
        }
        return latency;
    }
}
