package io.infergate.core.schedule;

import io.infergate.core.fleet.InFlight;

/**
 * Prefers endpoints with the fewest requests the gateway has sent and not yet seen finish: always
 * known, blind to traffic from other gateways. Half score at {@value #HALF_SCORE_AT}, the scale of
 * {@link LoadScorer}.
 */
final class InFlightScorer implements Scorer {

    static final String NAME = "in-flight";
    static final double HALF_SCORE_AT = LoadScorer.HALF_SCORE_AT;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void score(PickContext context, int[] slots, int count, double[] scores) {
        InFlight inFlight = context.inFlight();
        for (int i = 0; i < count; i++) {
            scores[i] = Scorer.halving(inFlight.count(slots[i]), HALF_SCORE_AT);
        }
    }
}
