package io.infergate.core.scale;

import io.infergate.core.fleet.EndpointLoad;

/**
 * How busy one node is, as the autoscaler's utilisation band reads it (before smoothing by
 * {@link UtilisationSmoother}). With the nodes' batch bound known ({@code max_num_seqs} above 0), the
 * share of the node's binding resource in use: the larger of its batch occupancy (requests in service ÷
 * {@code maxNumSeqs}) and its KV-cache use. A batching engine's GPU runs a step whenever it holds one
 * request, at nearly the cost of a full batch, so GPU utilisation says whether a node is working, not how
 * much more it could take. Without the bound, GPU utilisation when known, else KV-cache use. Unknown
 * ({@link Double#NaN}) while the node's figures are stale.
 *
 * <pre>{@code
 * UtilisationRule rule = new UtilisationRule(256);
 * int serving = UtilisationRule.inService(load, inFlight.count(slot));
 * double busy = rule.utilisation(load, serving);
 * }</pre>
 *
 * @param maxNumSeqs the nodes' running-batch bound (vLLM {@code --max-num-seqs}); 0 when unknown
 */
record UtilisationRule(int maxNumSeqs) {

    UtilisationRule {
        if (maxNumSeqs < 0) {
            throw new IllegalArgumentException("maxNumSeqs: " + maxNumSeqs + " (expected: >= 0, 0 for unknown)");
        }
    }

    /**
     * Requests a node is serving: those the gateway has in flight to it less those queued on the server
     * (in flight also counts requests on their way there and answers on their way back, which hold one
     * of the batch slots the gateway's flow control allots), or the server's own running count if higher.
     */
    static int inService(EndpointLoad load, int inFlight) {
        return Math.max(Math.max(0, load.running()), inFlight - Math.max(0, load.waiting()));
    }

    /** The node's busy share, 0..1, with {@code inService} requests in service; NaN when unknown. */
    double utilisation(EndpointLoad load, int inService) {
        if (load.stale()) {
            return Double.NaN;
        }
        if (maxNumSeqs > 0) {
            double occupancy = Math.min(1, (double) inService / maxNumSeqs);
            return Double.isNaN(load.kvCacheUsage()) ? occupancy : Math.max(occupancy, load.kvCacheUsage());
        }
        return Double.isNaN(load.gpuUtilisation()) ? load.kvCacheUsage() : load.gpuUtilisation();
    }
}
