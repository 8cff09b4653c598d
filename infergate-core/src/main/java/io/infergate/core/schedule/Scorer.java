package io.infergate.core.schedule;

/**
 * The second stage of a pick: rates each endpoint that passed the filters from 0 (worst) to 1 (best).
 * A scorer rates all candidates in one call, so the scheduler makes one virtual call per scorer per
 * pick and each scorer's loop is compiled for that scorer alone.
 *
 * <p><b>Scale.</b> Built-in scorers map a count {@code x} to {@code h / (h + x)}: 1 when idle, 0.5 at
 * the "half-score" count {@code h}, towards 0 as {@code x} grows. This absolute scale was preferred
 * to normalising by the pool's min and max because it keeps scores comparable across endpoints of
 * one pick <em>and</em> across picks (an explanation reads the same whatever else is in the pool),
 * does not blow a difference of one request up to the full 0..1 range when the pool is nearly idle,
 * and needs a single pass over the candidates.
 *
 * <p><b>Unknown figures.</b> A scorer writes {@link Double#NaN} for an endpoint whose figures it
 * lacks (not exported, stale scrape). The scheduler replaces it with the mean of the known scores
 * of the same scorer in the same pick: a new endpoint then ranks as an average one, neither starved
 * (as a 0 would do) nor flooded (as a 1 would do) until its first scrape arrives.
 */
interface Scorer {

    /** The name the scorer's weight is configured under, e.g. {@code load}. */
    String name();

    /**
     * Writes the score of the endpoint at {@code slots[i]} into {@code scores[i]} for every
     * {@code i < count}: 0..1, or NaN when unknown. Must not allocate.
     */
    void score(PickContext context, int[] slots, int count, double[] scores);

    /** {@code halfScoreAt / (halfScoreAt + amount)}: 1 at zero, 0.5 at {@code halfScoreAt}, towards 0 beyond. */
    static double halving(double amount, double halfScoreAt) {
        return halfScoreAt / (halfScoreAt + amount);
    }
}
