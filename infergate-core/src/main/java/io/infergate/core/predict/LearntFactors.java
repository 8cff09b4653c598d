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

    /** Each factor's estimate (NaN while too few samples), the samples it rests on and the time of the newest. */
    private record Snapshot(double[] estimates, int[] samples, long[] newestNanos) {
    }

    /** How many samples the fallback counts as, against an estimate's own. */
    static final double FALLBACK_SAMPLES = 1;

    /** An estimate's samples count for {@code 1/e} as much this long after the newest. */
    static final double EVIDENCE_TIME_CONSTANT_SECONDS = 20;

    private final RobustScale[] scales = {new RobustScale(), new RobustScale(), new RobustScale(), new RobustScale()};
    private volatile Snapshot snapshot =
            new Snapshot(new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN}, new int[4], new long[4]);

    /** Adds a sample of {@code factor} observed at {@code nowNanos}. */
    synchronized void add(Factor factor, double sample, long nowNanos) {
        Snapshot last = snapshot;
        double[] estimates = last.estimates().clone();
        int[] samples = last.samples().clone();
        long[] newest = last.newestNanos().clone();
        RobustScale scale = scales[factor.ordinal()];
        estimates[factor.ordinal()] = scale.add(sample, nowNanos);
        samples[factor.ordinal()] = scale.samples();
        newest[factor.ordinal()] = nowNanos;
        snapshot = new Snapshot(estimates, samples, newest);
    }

    /** The estimate of {@code factor}, or {@code fallback} while it rests on too few samples. */
    double estimate(Factor factor, double fallback) {
        double estimate = snapshot.estimates()[factor.ordinal()];
        return Double.isNaN(estimate) ? fallback : estimate;
    }

    /**
     * The estimate of {@code factor} weighed against {@code fallback} by the evidence behind it: a
     * geometric mean in which the estimate counts as many samples as it rests on, each worth less as
     * its newest sample ages ({@code exp(-age / }{@value #EVIDENCE_TIME_CONSTANT_SECONDS}{@code  s)}),
     * and the fallback as {@value #FALLBACK_SAMPLES}; the fallback alone while too few samples.
     * So a few unlucky first samples (a server still warming up) do not shun an endpoint for long, and
     * an endpoint shunned for being slow drifts back towards the fallback until it is tried again and
     * seen as it is now.
     */
    double estimate(Factor factor, double fallback, long nowNanos) {
        Snapshot current = snapshot;
        int i = factor.ordinal();
        double estimate = current.estimates()[i];
        if (Double.isNaN(estimate)) {
            return fallback;
        }
        double ageSeconds = Math.max(0, nowNanos - current.newestNanos()[i]) / 1e9;
        double evidence = current.samples()[i] * Math.exp(-ageSeconds / EVIDENCE_TIME_CONSTANT_SECONDS);
        return Math.exp((evidence * Math.log(estimate) + FALLBACK_SAMPLES * Math.log(fallback))
                / (evidence + FALLBACK_SAMPLES));
    }
}
