package io.infergate.core.retry;

import io.infergate.core.request.RoutingRequest;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Which requests are hedged and when: a request of a hedged priority class (every class unless some are
 * named) that has not had its first byte after its pool's recent first-byte percentile for requests of
 * its shape (at least {@code minDelay}) gets a second attempt on another endpoint; the first attempt to
 * produce a first byte wins and the other is cancelled ({@link HedgedRequest}). At the p99 only one
 * request in a hundred waits that long, so hedging adds about 1 % load, and each hedge also takes one
 * from the pool's {@link RetryBudget}. Only replayable requests (inference routes) may be hedged.
 *
 * <pre>{@code
 * HedgingPolicy hedging = HedgingPolicy.builder().build();                 // every class
 * long after = hedging.hedgeAfterNanos(request, firstBytes.percentileNanos(pool, request, now));
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
 * @see FirstByteTimeouts
 */
public final class HedgingPolicy {

    /** The priorities of a policy that hedges requests of every class. */
    public static final Set<String> ALL_CLASSES = Set.of();

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
     * How long after sending {@code request} to fire a hedge if no first byte came back, given the recent
     * first-byte percentile of requests like it ({@code percentileNanos}, -1 while there is none), or -1
     * when it is not hedged: its priority class is not one hedged, or there is no figure yet.
     */
    public long hedgeAfterNanos(RoutingRequest request, long percentileNanos) {
        if (!priorities.isEmpty() && !priorities.contains(request.priority())) {
            return -1;
        }
        return percentileNanos < 0 ? -1 : Math.max(minDelayNanos, percentileNanos);
    }

    /** The bookkeeping of one hedged request's attempts. */
    public HedgedRequest newRace() {
        return new HedgedRequest(maxAttempts);
    }

    /** Configures a {@link HedgingPolicy}; defaults: every class, after at least 10 ms, 2 attempts. */
    public static final class Builder {
        private Set<String> priorities = ALL_CLASSES;
        private Duration minDelay = Duration.ofMillis(10);
        private int maxAttempts = 2;

        private Builder() {
        }

        /** The priority classes hedged; default {@link #ALL_CLASSES}. */
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
