package io.infergate.core.schedule;

/**
 * Prefers endpoints with free KV cache, {@code 1 - kvCacheUsage}: a server whose cache is full
 * preempts running sequences and recomputes them. {@link Scorer#NEUTRAL} when the figure is not
 * exported or the scrape is stale.
 */
final class KvCacheHeadroomScorer implements Scorer {

    static final String NAME = "kv-cache-headroom";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void score(PickContext context, Candidates candidates, double[] scores) {
        double[] usage = candidates.kvCacheUsage;
        for (int i = 0; i < candidates.count; i++) {
            double headroom = 1 - usage[i];
            // one range test on the common path; NaN fails it. Math.clamp costs more than this whole loop.
            scores[i] = headroom >= 0 && headroom <= 1 ? headroom
                    : Double.isNaN(headroom) ? NEUTRAL : headroom < 0 ? 0 : 1;
        }
    }
}
