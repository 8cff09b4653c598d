package io.infergate.core.predict;

/**
 * The speed factors learnt for one endpoint, or for the whole fleet: each a {@link RobustScale}.
 * Samples are added under this object's lock; the estimates are published as an immutable snapshot,
 * so picks read them without locking.
 */
final class LearntFactors {

    /**
     * What a factor scales: the prior's prefill time, its decode step, the queue model's wait, or the
     * fixed time every request takes besides ({@link EndpointSpeeds#OVERHEAD_UNIT_NANOS} per unit).
     */
    enum Factor {
        PREFILL, DECODE, QUEUE, OVERHEAD
    }

    /** Each factor's estimate (NaN while too few samples) and the time of its newest sample. */
    private record Snapshot(double[] estimates, long[] newestNanos) {
    }

    private final RobustScale[] scales = {new RobustScale(), new RobustScale(), new RobustScale(), new RobustScale()};
    private volatile Snapshot snapshot =
            new Snapshot(new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN}, new long[4]);

    /** Adds a sample of {@code factor} observed at {@code nowNanos}. */
    synchronized void add(Factor factor, double sample, long nowNanos) {
        Snapshot last = snapshot;
        double[] estimates = last.estimates().clone();
        long[] newest = last.newestNanos().clone();
        estimates[factor.ordinal()] = scales[factor.ordinal()].add(sample, nowNanos);
        newest[factor.ordinal()] = nowNanos;
        snapshot = new Snapshot(estimates, newest);
    }

    /** The estimate of {@code factor}, or {@code fallback} while it rests on too few samples. */
    double estimate(Factor factor, double fallback) {
        double estimate = snapshot.estimates()[factor.ordinal()];
        return Double.isNaN(estimate) ? fallback : estimate;
    }

    /**
     * The estimate of {@code factor}, or {@code fallback} while it rests on too few samples or its
     * newest sample is more than {@code staleNanos} older than {@code nowNanos}.
     */
    double estimate(Factor factor, double fallback, long nowNanos, long staleNanos) {
        Snapshot current = snapshot;
        double estimate = current.estimates()[factor.ordinal()];
        return Double.isNaN(estimate) || nowNanos - current.newestNanos()[factor.ordinal()] > staleNanos
                ? fallback : estimate;
    }
}
