package io.infergate.core.schedule;

/**
 * The score scale of count-based scorers: {@code h / (h + count)}, 1 at zero, 0.5 at the half-score
 * count {@code h}, towards 0 beyond. Counts below {@value #TABULATED} are looked up: a floating-point
 * division costs more than all the rest of a scorer's work per endpoint, and this runs for every
 * endpoint of every pick.
 */
final class HalvingCurve {

    static final int TABULATED = 512;

    private final double halfScoreAt;
    private final double[] table = new double[TABULATED];

    HalvingCurve(double halfScoreAt) {
        if (!(halfScoreAt > 0)) {
            throw new IllegalArgumentException("halfScoreAt: " + halfScoreAt + " (expected: > 0)");
        }
        this.halfScoreAt = halfScoreAt;
        for (int count = 0; count < TABULATED; count++) {
            table[count] = compute(count);
        }
    }

    /** The score of {@code count} requests; a negative count scores as zero. */
    double score(int count) {
        int clamped = Math.max(0, count);
        return clamped < table.length ? table[clamped] : compute(clamped);
    }

    /**
     * The score of {@code count} requests on an endpoint of capacity weight {@code weight}: that of
     * {@code count / weight} requests, so a replica twice as large scores as half as loaded.
     */
    double score(int count, double weight) {
        return weight == 1.0 ? score(count) : halfScoreAt / (halfScoreAt + Math.max(0, count) / weight);
    }

    private double compute(int count) {
        return halfScoreAt / (halfScoreAt + count);
    }
}
