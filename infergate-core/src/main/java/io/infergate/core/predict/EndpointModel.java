package io.infergate.core.predict;

import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.predict.LearntFactors.Factor;

import java.util.LinkedHashSet;

/**
 * What the predictor knows of one endpoint: its prior, its learnt speed factors, the largest batch it
 * was seen to run, and the requests the gateway sent it that are not finished (the ledger), in the
 * order they were sent. Safe from any thread: the ledger and the batch limit are guarded by this
 * object's lock, held for a few hundred nanoseconds at a time; the factors have their own.
 */
final class EndpointModel {

    /** A KV-cache use below this says too little about how many more sequences fit. */
    private static final double KV_USE_TO_LIMIT_BATCH = 0.05;

    private final SpeedPrior prior;
    private final LearntFactors own = new LearntFactors();
    private final LearntFactors fleet;
    private final LinkedHashSet<Dispatch> outstanding = new LinkedHashSet<>();
    private long unprefilledTokens;
    private int batchLimit;

    EndpointModel(SpeedPrior prior, LearntFactors fleet) {
        this.prior = prior;
        this.fleet = fleet;
        this.batchLimit = prior.maxBatch();
    }

    /** The speeds now: each factor its own estimate, or the fleet's while it has too few samples, or 1. */
    EndpointSpeeds speeds() {
        return new EndpointSpeeds(prior,
                own.estimate(Factor.PREFILL, fleet.estimate(Factor.PREFILL, 1)),
                own.estimate(Factor.DECODE, fleet.estimate(Factor.DECODE, 1)),
                own.estimate(Factor.QUEUE, fleet.estimate(Factor.QUEUE, 1)));
    }

    /**
     * The work in front of a new request. With a fresh scrape: what it reported plus the requests of
     * the ledger sent after it, and, when the gateway's live count {@code inFlight} has grown by more
     * than those since the scrape (requests sent without being recorded here), that many more of mean
     * size. Without one: the ledger, or {@code inFlight} when larger.
     */
    synchronized Backlog backlog(EndpointLoad load, int inFlight, WorkloadMeans means) {
        if (!scraped(load)) {
            int untracked = Math.max(0, inFlight - outstanding.size());
            return new Backlog(outstanding.size() + untracked,
                    unprefilledTokens + Math.round(untracked * means.promptTokens()), batchLimit, false);
        }
        int since = 0;
        long sinceUnprefilled = 0;
        for (Dispatch dispatch : outstanding.reversed()) {
            if (dispatch.sentAtNanos() <= load.scrapedAtNanos()) {
                break;
            }
            since++;
            sinceUnprefilled += dispatch.unprefilledTokens();
        }
        int untracked = Math.max(0, inFlight - load.inFlightAtScrape() - since);
        int waiting = load.waiting();
        int running = load.running();
        int limit = waiting > 0 ? Math.max(1, running) : Math.max(batchLimit, running);
        double kvUse = load.kvCacheUsage();
        if (kvUse >= KV_USE_TO_LIMIT_BATCH && running > 0) {
            // the running sequences take kvUse of the cache: about running / kvUse fit in all of it
            limit = Math.min(limit, Math.max(running, (int) (running / Math.min(1, kvUse))));
        }
        return new Backlog(waiting + running + since + untracked,
                Math.round((waiting + untracked) * means.promptTokens()) + sinceUnprefilled, limit, true);
    }

    /** Adds {@code dispatch} to the ledger; a fresh scrape with requests waiting shows the batch limit. */
    synchronized void sent(Dispatch dispatch, EndpointLoad load) {
        if (scraped(load)) {
            batchLimit = load.waiting() > 0 && load.running() > 0 ? load.running()
                    : Math.max(batchLimit, load.running());
        }
        outstanding.add(dispatch);
        unprefilledTokens += dispatch.unprefilledTokens();
    }

    /**
     * Marks {@code dispatch} prefilled (its first token came); false when it already was or has left
     * the ledger, so each request is counted once.
     */
    synchronized boolean markPrefilled(Dispatch dispatch) {
        if (dispatch.prefilled || !outstanding.contains(dispatch)) {
            return false;
        }
        unprefilledTokens -= dispatch.unprefilledTokens();
        dispatch.prefilled = true;
        return true;
    }

    /** Takes {@code dispatch} off the ledger; false when it already was. */
    synchronized boolean markDone(Dispatch dispatch) {
        if (!outstanding.remove(dispatch)) {
            return false;
        }
        unprefilledTokens -= dispatch.unprefilledTokens();
        return true;
    }

    /** Counts a sample of {@code factor} for this endpoint and for the fleet. */
    void learn(Factor factor, double sample, long nowNanos) {
        own.add(factor, sample, nowNanos);
        fleet.add(factor, sample, nowNanos);
    }

    SpeedPrior prior() {
        return prior;
    }

    private static boolean scraped(EndpointLoad load) {
        return !load.stale() && load.waiting() >= 0 && load.running() >= 0;
    }
}
