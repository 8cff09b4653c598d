package io.infergate.core.flow;

/**
 * How often something happens (a pool takes requests, requests of the highest class arrive), as an
 * exponentially decaying count of events: with a steady rate r the count settles at {@code r × time
 * constant}. Reads and writes take the time as an argument, so it runs on any clock.
 */
final class DrainRate {

    /** Dispatches older than about this weigh little, for {@code Retry-After}. */
    static final long TIME_CONSTANT_NANOS = 2_000_000_000L;

    private final long timeConstantNanos;
    private double count;
    private long lastNanos;
    private boolean started;

    DrainRate() {
        this(TIME_CONSTANT_NANOS);
    }

    DrainRate(long timeConstantNanos) {
        this.timeConstantNanos = timeConstantNanos;
    }

    void record(long nowNanos) {
        decay(nowNanos);
        count += 1;
    }

    /** Dispatches per second; 0 before the first. */
    double perSecond(long nowNanos) {
        decay(nowNanos);
        return count * 1e9 / timeConstantNanos;
    }

    /** The decayed count: events in about the last time constant. */
    double count(long nowNanos) {
        decay(nowNanos);
        return count;
    }

    private void decay(long nowNanos) {
        if (!started) {
            started = true;
            lastNanos = nowNanos;
            return;
        }
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            count *= Math.exp(-(double) elapsed / timeConstantNanos);
            lastNanos = nowNanos;
        }
    }
}
