package io.infergate.core.predict;

import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.predict.LearntFactors.Factor;

import java.util.LinkedHashSet;

/**
 * What the predictor knows of one endpoint: its prior, its learnt speed factors, the batches it was
 * seen to run, and the requests the gateway sent it that are not finished (the ledger), in the
 * order they were sent. Safe from any thread: the ledger and the batch limit are guarded by this
 * object's lock, held for a few hundred nanoseconds at a time; the factors have their own.
 */
final class EndpointModel {

    /** The least batch assumed of an endpoint not yet seen full. */
    static final int MIN_PROBED_BATCH = 4;

    /** A KV-cache use below this says too little about how many more sequences fit. */
    private static final double KV_USE_TO_LIMIT_BATCH = 0.05;

    private final SpeedPrior prior;
    private final LearntFactors own = new LearntFactors();
    private final LearntFactors fleet;
    private final LinkedHashSet<Dispatch> outstanding = new LinkedHashSet<>();
    private long unprefilledTokens;
    /**
     * The most requests a scrape showed running while others waited: the batch limit; 0 until a scrape
     * shows requests waiting. The most, not the last: requests that arrived since the server's last
     * step wait for a moment whatever the batch, and such a scrape must not lower the limit.
     */
    private int fullAt;
    /** The most requests any scrape showed running. */
    private int maxRunning;

    EndpointModel(SpeedPrior prior, LearntFactors fleet) {
        this.prior = prior;
        this.fleet = fleet;
    }

    /**
     * The speeds at {@code nowNanos}: each factor its own estimate weighed against the fleet's by the
     * samples behind it and their age, or the fleet's while it has too few (1 if the fleet has none
     * either); see {@link LearntFactors#estimate(Factor, double, long)}.
     */
    EndpointSpeeds speeds(long nowNanos) {
        return new EndpointSpeeds(prior, factor(Factor.PREFILL, nowNanos), factor(Factor.DECODE, nowNanos),
                factor(Factor.QUEUE, nowNanos),
                Math.round(factor(Factor.OVERHEAD, nowNanos) * EndpointSpeeds.OVERHEAD_UNIT_NANOS));
    }

    private double factor(Factor factor, long nowNanos) {
        return own.estimate(factor, fleet.estimate(factor, 1), nowNanos);
    }

    /**
     * The work in front of a new request. With a fresh scrape: the requests it reported plus the
     * change in the gateway's live count {@code inFlight} since ({@code inFlight - inFlightAtScrape},
     * negative when more of the gateway's requests finished than it sent); their unprefilled prompts
     * are the scraped waiting ones and those sent since at the mean size, except the ledger's requests
     * sent since, at their own. Without one: the ledger, or {@code inFlight} when larger.
     *
     * <p>The batch limit: the most seen running while requests waited (a scrape that shows fewer running
     * with requests waiting caught them between two steps, and does not lower it), or the running count
     * when it is more; before any scrape showed requests waiting, one more than the most seen running (at least
     * {@value #MIN_PROBED_BATCH}, at most the prior's batch), so that capacity is probed rather than
     * taken from the prior; lowered by what the KV cache holds. Without a fresh scrape, the limit seen
     * or the probed one.
     *
     * <p>When the batch is full, the wait for a slot comes from the ledger ({@link SlotRelease}): its
     * requests in the order sent, the first ones running with what they have left at {@code speeds},
     * the others waiting; requests the ledger does not know (sent by others, or not recorded) are
     * taken as mean-sized and go first, half done while they fill the batch.
     */
    synchronized Backlog backlog(EndpointLoad load, int inFlight, WorkloadMeans means, EndpointSpeeds speeds,
                                 long nowNanos) {
        if (!fresh(load)) {
            int untracked = Math.max(0, inFlight - outstanding.size());
            int ahead = outstanding.size() + untracked;
            int limit = fullAt > 0 ? fullAt : probedLimit(0);
            return new Backlog(ahead, unprefilledTokens + Math.round(untracked * means.promptTokens()), limit,
                    slotWait(ahead, untracked, limit, means, speeds, nowNanos), false);
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
        int change = inFlight - load.inFlightAtScrape();
        int untracked = Math.max(0, change - since);
        int waiting = load.waiting();
        int running = load.running();
        int limit = fullAt > 0 ? Math.max(fullAt, running)
                : waiting > 0 ? Math.max(1, running)
                : probedLimit(running);
        double kvUse = load.kvCacheUsage();
        if (kvUse >= KV_USE_TO_LIMIT_BATCH && running > 0) {
            // the running sequences take kvUse of the cache: about running / kvUse fit in all of it
            limit = Math.min(limit, Math.max(running, (int) (running / Math.min(1, kvUse))));
        }
        int ahead = Math.max(0, waiting + running + change);
        return new Backlog(ahead, Math.round((waiting + untracked) * means.promptTokens()) + sinceUnprefilled, limit,
                slotWait(ahead, Math.max(0, ahead - outstanding.size()), limit, means, speeds, nowNanos), true);
    }

    /**
     * The wait for a batch slot behind {@code ahead} requests, {@code unknown} of them not in the ledger;
     * 0 while the batch has room.
     */
    private long slotWait(int ahead, int unknown, int limit, WorkloadMeans means, EndpointSpeeds speeds,
                          long nowNanos) {
        if (ahead < limit) {
            return 0;
        }
        double perToken = speeds.prefillNanosPerToken();
        double step = speeds.stepNanos(limit);
        SlotRelease release = new SlotRelease(limit);
        for (int i = 0; i < unknown; i++) {
            release.add(i < limit ? means.outputTokens() / 2 * step
                    : means.promptTokens() * perToken + means.outputTokens() * step);
        }
        int known = 0;
        for (Dispatch dispatch : outstanding) {
            if (known++ == ahead - unknown) {
                break;
            }
            release.add(dispatch.unprefilledTokens() * perToken + dispatch.remainingOutputTokens(nowNanos) * step);
        }
        return release.waitNanos();
    }

    /**
     * The batch limit of an endpoint never seen full: one more than the most seen running (at least
     * {@value #MIN_PROBED_BATCH}, at most the prior's batch), so that capacity is probed a request at a
     * time rather than taken from the prior, whose batch is the most a server could run, not what it
     * was started with: a request sent past a server's real limit waits in its queue unforeseen.
     */
    private int probedLimit(int running) {
        return Math.max(running,
                Math.min(prior.maxBatch(), Math.max(MIN_PROBED_BATCH, Math.max(maxRunning, running) + 1)));
    }

    /** Learns the batch limit from a scrape: with requests waiting, it is at least the running count. */
    synchronized void scraped(EndpointLoad load) {
        if (fresh(load)) {
            if (load.waiting() > 0 || fullAt > 0) {
                fullAt = Math.max(fullAt, load.running());
            }
            maxRunning = Math.max(maxRunning, load.running());
        }
    }

    /** Adds {@code dispatch} to the ledger, learning the batch limit from the scrape it was sent on. */
    synchronized void sent(Dispatch dispatch, EndpointLoad load) {
        scraped(load);
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

    /** Whether {@code load} is a fresh scrape with the queue figures. */
    private static boolean fresh(EndpointLoad load) {
        return !load.stale() && load.waiting() >= 0 && load.running() >= 0;
    }
}
