package io.infergate.gateway.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/** Finds the known name closest to a misspelt one, for "did you mean" hints. */
final class Suggestions {

    private Suggestions() {
    }

    /**
     * The candidate closest to {@code found} by edit distance (an adjacent swap counts as one edit,
     * case is ignored), if it is close enough to be a plausible typo: at most one edit per three
     * characters, and at least one edit allowed.
     */
    static Optional<String> closest(String found, Collection<String> candidates) {
        String wanted = found.toLowerCase(Locale.ROOT);
        return candidates.stream()
                .map(candidate -> new Scored(candidate, distance(wanted, candidate.toLowerCase(Locale.ROOT))))
                .filter(scored -> scored.distance <= Math.max(1, scored.candidate.length() / 3))
                .min(Comparator.comparingInt(Scored::distance))
                .map(Scored::candidate);
    }

    /** {@code "; did you mean 'x'?"} or the empty string. */
    static String didYouMean(String found, Collection<String> candidates) {
        return closest(found, candidates).map(c -> "; did you mean '" + c + "'?").orElse("");
    }

    private record Scored(String candidate, int distance) {
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
