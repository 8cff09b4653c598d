package io.infergate.core.schedule;

import io.infergate.core.request.RoutingRequest;

/**
 * The second stage of a pick: rates each endpoint that passed the filters from 0 (worst) to 1 (best).
 * A scorer rates all candidates in one call, so the scheduler makes one virtual call per scorer per
 * pick and each scorer's loop is compiled for that scorer alone; it reads the figures from the
 * dense arrays of {@link Candidates}.
 *
 * <p><b>Scale.</b> Count-based scorers use a {@link HalvingCurve}, {@code h / (h + count)}: 1 when
 * idle, 0.5 at the scorer's half-score count {@code h}, towards 0 as the count grows. This absolute
 * scale was preferred to normalising by the pool's min and max because it keeps scores comparable
 * across endpoints of one pick <em>and</em> across picks (an explanation reads the same whatever else
 * is in the pool), does not blow a difference of one request up to the full 0..1 range when the pool
 * is nearly idle, and needs a single pass over the candidates.
 *
 * <p><b>Unknown figures.</b> When an endpoint lacks the figures a scorer needs (not exported, -1,
 * NaN, stale scrape), the scorer gives it {@link #NEUTRAL}, 0.5: the score of a moderately busy
 * endpoint. A new endpoint before its first scrape (the gateway reads a joining endpoint at once, so
 * for one scrape's round trip) thus ranks behind idle endpoints and ahead of saturated ones, neither
 * starved nor flooded; and the {@code load} scorer, which falls back to the
 * gateway's own in-flight count, lowers its score as soon as requests go to it. (A pool-relative
 * neutral, such as the mean of the known scores, was tried: it costs two more passes over the
 * candidates whenever one scrape is stale, doubling the pick time at 1 000 endpoints.)
 */
interface Scorer {

    /** The name the scorer's weight is configured under, e.g. {@code load}. */
    String name();

    /** The score of an endpoint whose figures are unknown. */
    double NEUTRAL = 0.5;

    /**
     * Whether this scorer has anything to say about {@code request}. When it has not, the scheduler
     * does not run it for that pick and leaves its weight out of the weighted mean, so the request
     * costs and scores exactly as if the scorer were not configured. Most scorers always apply.
     */
    default boolean appliesTo(RoutingRequest request) {
        return true;
    }

    /**
     * Writes the score of candidate {@code i} into {@code scores[i]} for every
     * {@code i < candidates.count}: 0..1, {@link #NEUTRAL} when unknown. Figures not in
     * {@link Candidates} are read from {@code context.fleet()} at {@code candidates.slots[i]}.
     * Must not allocate.
     */
    void score(PickContext context, Candidates candidates, double[] scores);
}
