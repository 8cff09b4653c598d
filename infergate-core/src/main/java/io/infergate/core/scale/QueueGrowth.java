package io.infergate.core.scale;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How fast the requests a pool holds (waiting or in service) are growing, that is how far arrivals
 * exceed what the pool serves: the {@link Autoscaler}'s early burst trigger. It keeps the counts seen
 * over the last {@code window} and reports their least-squares slope, but only for a sustained rise:
 * the window must be covered, and split into thirds by time, each third's mean reading must be above
 * the mean of the third before (means, not single readings, so that arrival noise on a steady rise
 * does not hide it), by at least a third of the other step (a steady rise, not one clump of arrivals
 * after a flat stretch). A count that is flat, falling, noisy around a level, that spiked and fell
 * back, or that jumped at the end of a flat stretch has no sustained growth.
 *
 * <pre>{@code
 * QueueGrowth growth = new QueueGrowth(Duration.ofSeconds(5));
 * growth.record(ticker.read(), pool.held());              // every evaluation
 * double perSecond = growth.sustainedRate(ticker.read()); // NaN unless it rose throughout
 * }</pre>
 *
 * <p>Not thread-safe: one autoscaler evaluation at a time.
 */
final class QueueGrowth {

    private record Sample(long atNanos, int held) {
    }

    private final long windowNanos;
    private final Deque<Sample> samples = new ArrayDeque<>();

    /** @param window how far back the rise is measured; at least two evaluations' worth */
    QueueGrowth(Duration window) {
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
        }
        this.windowNanos = window.toNanos();
    }

    /** Takes in the count seen at {@code nowNanos}, forgetting readings the window no longer needs. */
    void record(long nowNanos, int held) {
        samples.addLast(new Sample(nowNanos, held));
        long start = nowNanos - windowNanos;
        while (samples.size() > 2 && secondOldest().atNanos() <= start) {
            samples.removeFirst();
        }
    }

    /**
     * The growth in requests per second over the window as of {@code nowNanos}, when it rose throughout
     * the window; {@link Double#NaN} otherwise.
     */
    double sustainedRate(long nowNanos) {
        if (samples.size() < 3 || samples.peekFirst().atNanos() > nowNanos - windowNanos) {
            return Double.NaN;
        }
        long start = nowNanos - windowNanos;
        double[] sum = new double[3];
        int[] count = new int[3];
        double meanT = 0;
        double meanQ = 0;
        for (Sample s : samples) {
            int third = (int) Math.min(2, Math.max(0, 3 * (s.atNanos() - start) / windowNanos));
            sum[third] += s.held();
            count[third]++;
            meanT += (s.atNanos() - nowNanos) / 1e9;
            meanQ += s.held();
        }
        if (count[0] == 0 || count[1] == 0 || count[2] == 0) {
            return Double.NaN;
        }
        double firstStep = sum[1] / count[1] - sum[0] / count[0];
        double secondStep = sum[2] / count[2] - sum[1] / count[1];
        if (firstStep <= 0 || secondStep <= 0 || firstStep < secondStep / 3 || secondStep < firstStep / 3) {
            return Double.NaN;
        }
        meanT /= samples.size();
        meanQ /= samples.size();
        double covariance = 0;
        double variance = 0;
        for (Sample s : samples) {
            double t = (s.atNanos() - nowNanos) / 1e9 - meanT;
            covariance += t * (s.held() - meanQ);
            variance += t * t;
        }
        return covariance / variance;
    }

    private Sample secondOldest() {
        var it = samples.iterator();
        it.next();
        return it.next();
    }
}
