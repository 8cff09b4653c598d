package io.infergate.core.health;

import java.time.Duration;

/**
 * When an endpoint counts as stalled: an attempt is waiting for its response head, and the endpoint has
 * shown no progress at all (no response head, body chunk or completed attempt, for any request) for
 * longer than a threshold, counted from when the attempt was sent or from the endpoint's last progress,
 * whichever is later. So the attempt itself has waited longer than the threshold too; and an endpoint
 * that went on finishing what it had in hand for a while after it hung is seen as soon as it has been
 * silent that long, not only once an attempt sent after its last answer has waited.
 *
 * <p>The threshold is {@code multiplier} times the pool's recent first-byte p99 for requests of the
 * attempt's shape, at least {@code min}: long generations are judged against what long generations
 * need. Until the pool has that p99 there is no threshold, and no stall is ever seen. A busy healthy
 * endpoint keeps answering other requests, so it is not stalled however long one request takes; a hung
 * one answers nothing.
 *
 * <pre>{@code
 * StallRule rule = StallRule.DEFAULT;                               // 2 × p99, at least 250 ms
 * long threshold = rule.thresholdNanos(firstBytes.percentileNanos(pool, request, now));   // at send
 * long checkAt = rule.stalledAfterNanos(attempt.sentNanos(), lastProgressNanos, threshold); // when to look
 * if (rule.stalled(attempt.sentNanos(), lastProgressNanos, threshold, now)) { ... }        // then
 * }</pre>
 *
 * @param multiplier how many times the first-byte p99 an attempt may wait before a silent endpoint is
 *                   stalled, at least 1
 * @param min        the shortest threshold, whatever the p99, above 0
 */
public record StallRule(double multiplier, Duration min) {

    /** Nothing is known about an endpoint's progress yet. */
    public static final long NO_PROGRESS = Long.MIN_VALUE;
    /** No threshold: the pool has no first-byte p99 yet, and its attempts are not watched. */
    public static final long UNWATCHED = -1;
    /** 2 × p99, at least 250 ms. */
    public static final StallRule DEFAULT = new StallRule(2, Duration.ofMillis(250));

    public StallRule {
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier: " + multiplier + " (expected: a finite number >= 1)");
        }
        if (min == null || !min.isPositive()) {
            throw new IllegalArgumentException("min: " + min + " (expected: > 0)");
        }
    }

    /**
     * The threshold of an attempt whose pool's first-byte p99 for its shape is {@code percentileNanos}, or
     * {@link #UNWATCHED} when that is negative (not enough samples yet).
     */
    public long thresholdNanos(long percentileNanos) {
        if (percentileNanos < 0) {
            return UNWATCHED;
        }
        return (long) Math.max(min.toNanos(), Math.min(Long.MAX_VALUE / 2.0, multiplier * percentileNanos));
    }

    /**
     * The time after which the endpoint of a waiting attempt sent at {@code sentNanos} is stalled unless it
     * shows progress first: {@code thresholdNanos} after the later of {@code sentNanos} and
     * {@code lastProgressNanos} ({@link #NO_PROGRESS} if none); {@link Long#MAX_VALUE} when the attempt is
     * {@link #UNWATCHED}.
     */
    public long stalledAfterNanos(long sentNanos, long lastProgressNanos, long thresholdNanos) {
        if (thresholdNanos < 0) {
            return Long.MAX_VALUE;
        }
        boolean progressSinceSent = lastProgressNanos != NO_PROGRESS && lastProgressNanos - sentNanos > 0;
        return (progressSinceSent ? lastProgressNanos : sentNanos) + thresholdNanos;
    }

    /**
     * Whether the endpoint of an attempt sent at {@code sentNanos}, still waiting for its response head, is
     * stalled at {@code nowNanos}: silent for longer than {@code thresholdNanos} (see {@link #stalledAfterNanos}).
     */
    public boolean stalled(long sentNanos, long lastProgressNanos, long thresholdNanos, long nowNanos) {
        return thresholdNanos >= 0 && nowNanos - stalledAfterNanos(sentNanos, lastProgressNanos, thresholdNanos) > 0;
    }
}
