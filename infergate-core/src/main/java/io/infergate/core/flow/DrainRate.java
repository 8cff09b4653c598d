package io.infergate.core.flow;

/**
 * How fast a pool takes requests, as an exponentially decaying count of dispatches: with a steady
 * rate r the count settles at {@code r × TIME_CONSTANT}. Reads and writes take the time as an
 * argument, so it runs on any clock.
 */
final class DrainRate {

    /** Dispatches older than about this weigh little. */
    static final long TIME_CONSTANT_NANOS = 2_000_000_000L;

    private double count;
    private long lastNanos;
    private boolean started;

    void record(long nowNanos) {
        decay(nowNanos);
        count += 1;
    }

    /** Dispatches per second; 0 before the first. */
    double perSecond(long nowNanos) {
        decay(nowNanos);
        return count * 1e9 / TIME_CONSTANT_NANOS;
    }

    private void decay(long nowNanos) {
        if (!started) {
            started = true;
            lastNanos = nowNanos;
            return;
        }
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            count *= Math.exp(-(double) elapsed / TIME_CONSTANT_NANOS);
            lastNanos = nowNanos;
        }
    }
}
