package io.infergate.core.predict;

/**
 * The three speed factors learnt for one endpoint, or for the whole fleet: each a {@link RobustScale}.
 * Samples are added under this object's lock; the estimates are published as an immutable array, so
 * picks read them without locking.
 */
final class LearntFactors {

    /** What a factor scales: the prior's prefill time, its decode step, or the queue model's wait. */
    enum Factor {
        PREFILL, DECODE, QUEUE
    }

    private final RobustScale[] scales = {new RobustScale(), new RobustScale(), new RobustScale()};
    private volatile double[] estimates = {Double.NaN, Double.NaN, Double.NaN};

    /** Adds a sample of {@code factor} observed at {@code nowNanos}. */
    synchronized void add(Factor factor, double sample, long nowNanos) {
        double estimate = scales[factor.ordinal()].add(sample, nowNanos);
        double[] next = estimates.clone();
        next[factor.ordinal()] = estimate;
        estimates = next;
    }

    /** The estimate of {@code factor}, or {@code fallback} while it rests on too few samples. */
    double estimate(Factor factor, double fallback) {
        double estimate = estimates[factor.ordinal()];
        return Double.isNaN(estimate) ? fallback : estimate;
    }
}
