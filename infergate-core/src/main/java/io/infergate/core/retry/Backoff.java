package io.infergate.core.retry;

import io.infergate.core.random.SplitMix;

import java.time.Duration;
import java.util.Objects;

/**
 * How long to wait before a retry: {@code base * multiplier^(retry-1)}, at most {@code max}, minus a
 * jitter of up to {@code jitter} of it. The jitter is drawn from the request id, never from a shared
 * random generator, so a request's delays replay exactly while different requests spread out.
 *
 * <pre>{@code
 * Backoff backoff = Backoff.DEFAULT;                          // 5 ms doubling to 250 ms, 50 % jitter
 * long delayNanos = backoff.delayNanos(1, requestId);         // before the first retry: 2.5-5 ms
 * }</pre>
 *
 * @param base       the delay before the first retry, before jitter; {@code > 0}
 * @param max        the longest delay, {@code >= base}
 * @param multiplier growth per retry, {@code >= 1}
 * @param jitter     the largest share taken off a delay, 0-1; a delay lies in {@code [d * (1 - jitter), d]}
 */
public record Backoff(Duration base, Duration max, double multiplier, double jitter) {

    /**
     * 5 ms doubling up to 250 ms, with up to half of each delay taken off at random. The first delay is
     * short because a retry always goes to another endpoint: the wait only spreads retries out, while the
     * retry budget is what protects a struggling pool.
     */
    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(5), Duration.ofMillis(250), 2, 0.5);

    public Backoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(max, "max");
        if (base.isNegative() || base.isZero()) {
            throw new IllegalArgumentException("base: " + base + " (expected: > 0)");
        }
        if (max.compareTo(base) < 0) {
            throw new IllegalArgumentException("max: " + max + " (expected: >= base, " + base + ")");
        }
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException("multiplier: " + multiplier + " (expected: a finite number >= 1)");
        }
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter: " + jitter + " (expected: 0-1)");
        }
    }

    /** The delay before retry number {@code retry} (1 for the first retry) of request {@code requestId}. */
    public long delayNanos(int retry, String requestId) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry: " + retry + " (expected: >= 1)");
        }
        double nominal = Math.min(max.toNanos(), base.toNanos() * Math.pow(multiplier, retry - 1));
        double draw = SplitMix.unit(SplitMix.nth(SplitMix.mix(requestId.hashCode()), retry));
        return (long) (nominal * (1 - jitter * draw));
    }
}
