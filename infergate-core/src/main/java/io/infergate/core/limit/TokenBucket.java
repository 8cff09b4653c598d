package io.infergate.core.limit;

/**
 * One bucket holding up to {@code perMinute} units, refilled evenly over a minute. A charge fits when
 * the bucket holds it, or holds its whole capacity when the charge is larger than that (so a request
 * bigger than a minute's budget is not refused forever; it leaves the bucket in debt). Settlement may
 * also drive the level below zero; later charges then wait until the debt is refilled.
 *
 * <p>The gateway's Redis script computes the same formula; keep the two in step. Not thread-safe:
 * {@link BucketSet} serialises access.
 *
 * <pre>{@code
 * TokenBucket bucket = new TokenBucket(600, now);          // starts full
 * if (bucket.nanosUntilFits(1, now) == 0) bucket.add(-1, now);
 * }</pre>
 */
public final class TokenBucket {

    static final double NANOS_PER_MINUTE = 60e9;

    private final long perMinute;
    private double level;
    private long updatedNanos;

    /** A full bucket. */
    public TokenBucket(long perMinute, long nowNanos) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute: " + perMinute + " (expected: >= 1)");
        }
        this.perMinute = perMinute;
        this.level = perMinute;
        this.updatedNanos = nowNanos;
    }

    public long perMinute() {
        return perMinute;
    }

    /** The level at {@code nowNanos}, refilled since the last change and capped at the capacity. */
    public double level(long nowNanos) {
        refill(nowNanos);
        return level;
    }

    /** 0 when {@code amount} fits now, else how long until it does. */
    public long nanosUntilFits(long amount, long nowNanos) {
        double needed = Math.min(amount, perMinute);
        double missing = needed - level(nowNanos);
        return missing <= 0 ? 0 : (long) Math.ceil(missing * NANOS_PER_MINUTE / perMinute);
    }

    /** Adds {@code delta} (negative to take), capped at the capacity; the level may go below zero. */
    public void add(long delta, long nowNanos) {
        refill(nowNanos);
        level = Math.min(perMinute, level + delta);
    }

    /** This bucket's state for the {@code x-ratelimit-*} headers. */
    public BucketStatus status(LimitKind kind, long nowNanos) {
        double current = level(nowNanos);
        long reset = (long) Math.ceil((perMinute - current) * NANOS_PER_MINUTE / perMinute);
        return new BucketStatus(kind, perMinute, Math.max(0, (long) Math.floor(current)), Math.max(0, reset));
    }

    /** True when the bucket has been full since before {@code nowNanos}: forgetting it changes nothing. */
    public boolean isFull(long nowNanos) {
        return level(nowNanos) >= perMinute;
    }

    private void refill(long nowNanos) {
        long elapsed = nowNanos - updatedNanos;
        if (elapsed > 0) {
            level = Math.min(perMinute, level + elapsed * (perMinute / NANOS_PER_MINUTE));
            updatedNanos = nowNanos;
        }
    }
}
