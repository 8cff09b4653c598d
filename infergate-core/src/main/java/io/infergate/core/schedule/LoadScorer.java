package io.infergate.core.schedule;

/**
 * Prefers endpoints with the fewest requests on them, counting what the server reported at its
 * last scrape (waiting + running) plus what the gateway sent it since:
 * {@code max(0, inFlight - inFlightAtScrape)}. Picks between two scrapes therefore see each other
 * and spread. When the scrape is stale or the server exports no queue figures, the gateway's own
 * in-flight count stands in for the whole load, so this scorer is never unknown. Half score at 32
 * requests per unit of capacity weight (a two-node replica of weight 2 at 64), the scale of
 * {@link InFlightScorer}.
 */
final class LoadScorer implements Scorer {

    static final String NAME = "load";
    static final HalvingCurve CURVE = new HalvingCurve(32);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void score(PickContext context, Candidates candidates, double[] scores) {
        int[] serverLoad = candidates.serverLoad;
        int[] inFlightAtScrape = candidates.inFlightAtScrape;
        int[] inFlight = candidates.inFlight;
        double[] weight = candidates.capacityWeight;
        for (int i = 0; i < candidates.count; i++) {
            scores[i] = CURVE.score(Candidates.estimatedLoad(serverLoad[i], inFlightAtScrape[i], inFlight[i]), weight[i]);
        }
    }
}
