package io.infergate.core.schedule;

import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;

/**
 * Prefers endpoints with free KV cache, {@code 1 - kvCacheUsage}: a server whose cache is full
 * preempts running sequences and recomputes them. Unknown when the figure is not exported or the
 * scrape is stale.
 */
final class KvCacheHeadroomScorer implements Scorer {

    static final String NAME = "kv-cache-headroom";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void score(PickContext context, int[] slots, int count, double[] scores) {
        FleetSnapshot fleet = context.fleet();
        for (int i = 0; i < count; i++) {
            EndpointLoad load = fleet.load(slots[i]);
            // NaN usage stays NaN through the arithmetic: unknown
            scores[i] = load.stale() ? Double.NaN : Math.clamp(1.0 - load.kvCacheUsage(), 0.0, 1.0);
        }
    }
}
