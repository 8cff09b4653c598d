package io.infergate.core.scale;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * What a pool's requests cost: integrates the pool's cost per hour over time and divides what the last
 * {@link #WINDOW} cost by the requests finished in it.
 *
 * <pre>{@code
 * CostMeter meter = new CostMeter();
 * meter.record(costPerHourSinceLastReading, completedRequestsSoFar, ticker.read());  // every evaluation
 * double dollars = meter.perRequest();                                                 // NaN when none finished
 * }</pre>
 *
 * <p>Not thread-safe: {@link PoolScaler} guards it.
 */
final class CostMeter {

    static final Duration WINDOW = Duration.ofSeconds(60);
    private static final double NANOS_PER_HOUR = 3600e9;

    private record Sample(long atNanos, double dollars, long requests) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();
    private double dollarsSpent;
    private double perRequest = Double.NaN;

    /**
     * @param costPerHour       what the pool cost per hour since the last call, in dollars
     * @param completedRequests requests the pool has finished so far (a count that never falls)
     * @param nowNanos          ticker time now
     */
    void record(double costPerHour, long completedRequests, long nowNanos) {
        Sample last = samples.peekLast();
        if (last != null) {
            dollarsSpent += costPerHour * (nowNanos - last.atNanos()) / NANOS_PER_HOUR;
        }
        samples.addLast(new Sample(nowNanos, dollarsSpent, completedRequests));
        while (samples.size() > 2 && nowNanos - samples.peekFirst().atNanos() > WINDOW.toNanos()) {
            samples.removeFirst();
        }
        Sample first = samples.peekFirst();
        Sample newest = samples.peekLast();
        long requests = newest.requests() - first.requests();
        perRequest = requests > 0 ? (newest.dollars() - first.dollars()) / requests : Double.NaN;
    }

    /** Dollars per finished request over the last window; NaN when no request finished in it. */
    double perRequest() {
        return perRequest;
    }
}
