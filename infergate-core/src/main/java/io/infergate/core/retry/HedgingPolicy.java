package io.infergate.core.retry;

import io.infergate.core.request.RoutingRequest;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Which requests are hedged and when: a request of a hedged priority class that has not had its
 * first byte after the pool's recent p95 first-byte latency (at least {@code minDelay}) gets a
 * second attempt on another endpoint; the first attempt to produce a first byte wins and the other
 * is cancelled ({@link HedgedRequest}). Only one request in twenty waits that long, so hedging
 * adds about 5 % load to its classes, and each hedge also takes one from the pool's
 * {@link RetryBudget}. Only replayable requests (inference routes) may be hedged.
 *
 * <pre>{@code
 * HedgingPolicy hedging = HedgingPolicy.builder().priorities(Set.of("critical")).build();
 * long after = hedging.hedgeAfterNanos(request, poolLatency, now);
 * if (after >= 0) {
 *     HedgedRequest race = hedging.newRace();
 *     int first = race.start();
 *     vertx.setTimer(millis(after), t -> {
 *         int hedge = race.tryHedge(poolBudget, ticker.read());
 *         if (hedge > 0) {
 *             pickExcludingTriedAndSend(hedge);
 *         }
 *     });
 * }
 * }</pre>
 *
 * @see LatencyTracker
 */
public final class HedgingPolicy {

    private final Set<String> priorities;
    private final long minDelayNanos;
    private final int maxAttempts;

    private HedgingPolicy(Builder builder) {
        this.priorities = builder.priorities;
        this.minDelayNanos = builder.minDelay.toNanos();
        this.maxAttempts = builder.maxAttempts;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * How long after sending {@code request} to fire a hedge if no first byte came back, or -1 when
     * it is not hedged: its priority class is not one hedged, or the pool has no latency figure yet.
     */
    public long hedgeAfterNanos(RoutingRequest request, LatencyTracker poolLatency, long nowNanos) {
        if (!priorities.contains(request.priority())) {
            return -1;
        }
        long percentile = poolLatency.percentileNanos(nowNanos);
        return percentile < 0 ? -1 : Math.max(minDelayNanos, percentile);
    }

    /** The bookkeeping of one hedged request's attempts. */
    public HedgedRequest newRace() {
        return new HedgedRequest(maxAttempts);
    }

    /** Configures a {@link HedgingPolicy}; defaults: {@code critical} requests, after at least 10 ms, 2 attempts. */
    public static final class Builder {
        private Set<String> priorities = Set.of("critical");
        private Duration minDelay = Duration.ofMillis(10);
        private int maxAttempts = 2;

        private Builder() {
        }

        /** The priority classes hedged; default {@code critical}. */
        public Builder priorities(Set<String> priorities) {
            this.priorities = Set.copyOf(priorities);
            return this;
        }

        /** The shortest wait before a hedge, whatever the percentile; default 10 ms. */
        public Builder minDelay(Duration minDelay) {
            Objects.requireNonNull(minDelay, "minDelay");
            if (minDelay.isNegative()) {
                throw new IllegalArgumentException("minDelay: " + minDelay + " (expected: >= 0)");
            }
            this.minDelay = minDelay;
            return this;
        }

        /** Attempts racing at most, the first included; default 2. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 2 || maxAttempts > HedgedRequest.MAX_ATTEMPTS) {
                throw new IllegalArgumentException("maxAttempts: " + maxAttempts
                        + " (expected: 2-" + HedgedRequest.MAX_ATTEMPTS + ")");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        public HedgingPolicy build() {
            return new HedgingPolicy(this);
        }
    }
}
