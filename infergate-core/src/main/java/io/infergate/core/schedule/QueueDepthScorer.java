package io.infergate.core.schedule;

/**
 * Prefers endpoints with few requests waiting on the server ({@code vllm:num_requests_waiting}):
 * a waiting request means the server is saturated and time to first token grows. Half score at
 * 4 waiting. {@link Scorer#NEUTRAL} when the server does not export the figure or the scrape is stale.
 */
final class QueueDepthScorer implements Scorer {

    static final String NAME = "queue-depth";
    private static final HalvingCurve CURVE = new HalvingCurve(4);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void score(PickContext context, Candidates candidates, double[] scores) {
        int[] waiting = candidates.waiting;
        for (int i = 0; i < candidates.count; i++) {
            scores[i] = waiting[i] < 0 ? NEUTRAL : CURVE.score(waiting[i]);
        }
    }
}
