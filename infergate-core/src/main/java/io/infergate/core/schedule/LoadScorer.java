package io.infergate.core.schedule;

import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;

/**
 * Prefers endpoints with the fewest requests on them, counting what the server reported at its
 * last scrape (waiting + running) plus what the gateway sent it since:
 * {@code max(0, inFlight - inFlightAtScrape)}. Picks between two scrapes therefore see each other
 * and spread. When the scrape is stale or the server exports no queue figures, the gateway's own
 * in-flight count stands in for the whole load, so this scorer is never unknown. Half score at
 * {@value #HALF_SCORE_AT} requests, the same scale as {@link InFlightScorer}.
 */
final class LoadScorer implements Scorer {

    static final String NAME = "load";
    static final double HALF_SCORE_AT = 32;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void score(PickContext context, int[] slots, int count, double[] scores) {
        FleetSnapshot fleet = context.fleet();
        InFlight inFlight = context.inFlight();
        for (int i = 0; i < count; i++) {
            int slot = slots[i];
            EndpointLoad load = fleet.load(slot);
            int live = inFlight.count(slot);
            int estimated = load.stale() || load.waiting() < 0 || load.running() < 0
                    ? live
                    : load.waiting() + load.running() + Math.max(0, live - load.inFlightAtScrape());
            scores[i] = Scorer.halving(estimated, HALF_SCORE_AT);
        }
    }
}
