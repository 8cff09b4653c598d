package io.infergate.core.health;

import java.time.Duration;

/**
 * When an endpoint counts as stalled: an attempt has waited for its response head longer than a
 * threshold, and the endpoint has shown no progress at all (no response head, body chunk or completed
 * attempt, for any request) since that attempt was sent. The threshold is {@code multiplier} times the
 * pool's recent first-byte p99 for requests of the attempt's shape, at least {@code min}; there is none
 * (no stall is ever seen) until the pool has a p99, so long generations are judged against what long
 * generations need, and nothing is judged on guesses. A busy healthy endpoint keeps answering other
 * requests, so it is never stalled however long one request takes; a hung one answers nothing.
 *
 * <pre>{@code
 * StallRule rule = StallRule.DEFAULT;                               // 2 × p99, at least 250 ms
 * long threshold = rule.thresholdNanos(firstBytes.percentileNanos(pool, request, now));   // at send
 * if (rule.stalled(attempt.sentNanos(), lastProgressNanos, threshold, now)) { ... }        // on a timer
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
     * Whether the endpoint of an attempt sent at {@code sentNanos}, still waiting for its response head, is
     * stalled at {@code nowNanos}: it waited longer than {@code thresholdNanos} (not {@link #UNWATCHED}), and
     * the endpoint's last progress ({@code lastProgressNanos}, or {@link #NO_PROGRESS}) came before it was sent.
     */
    public boolean stalled(long sentNanos, long lastProgressNanos, long thresholdNanos, long nowNanos) {
        if (thresholdNanos < 0 || nowNanos - sentNanos <= thresholdNanos) {
            return false;
        }
        return lastProgressNanos == NO_PROGRESS || lastProgressNanos - sentNanos < 0;
    }
}
