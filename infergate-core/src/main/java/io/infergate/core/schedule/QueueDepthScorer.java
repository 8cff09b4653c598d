package io.infergate.core.schedule;

import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;

/**
 * Prefers endpoints with few requests waiting on the server ({@code vllm:num_requests_waiting}):
 * a waiting request means the server is saturated and time to first token grows. Half score at
 * {@value #HALF_SCORE_AT} waiting. Unknown when the server does not export the figure or the scrape is stale.
 */
final class QueueDepthScorer implements Scorer {

    static final String NAME = "queue-depth";
    static final double HALF_SCORE_AT = 4;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void score(PickContext context, int[] slots, int count, double[] scores) {
        FleetSnapshot fleet = context.fleet();
        for (int i = 0; i < count; i++) {
            EndpointLoad load = fleet.load(slots[i]);
            scores[i] = load.stale() || load.waiting() < 0
                    ? Double.NaN
                    : Scorer.halving(load.waiting(), HALF_SCORE_AT);
        }
    }
}
