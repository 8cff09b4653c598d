package io.infergate.core.schedule;

/**
 * Prefers endpoints with the fewest requests the gateway has sent and not yet seen finish: always
 * known, blind to traffic from other gateways. Half score at 32 per unit of capacity weight, the scale of
 * {@link LoadScorer}, whose curve it shares.
 */
final class InFlightScorer implements Scorer {

    static final String NAME = "in-flight";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void score(PickContext context, Candidates candidates, double[] scores) {
        int[] inFlight = candidates.inFlight;
        double[] weight = candidates.capacityWeight;
        for (int i = 0; i < candidates.count; i++) {
            scores[i] = LoadScorer.CURVE.score(inFlight[i], weight[i]);
        }
    }
}
