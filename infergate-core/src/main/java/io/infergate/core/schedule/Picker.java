package io.infergate.core.schedule;

import io.infergate.core.random.SplitMix;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The last stage of a pick: chooses one endpoint among those that passed the filters, from their
 * weighted total scores. Every choice is a pure function of the totals and a seed hashed from the
 * request, so {@link Scheduler#explain} reproduces it.
 *
 * <pre>{@code
 * SchedulerConfig config = SchedulerConfig.defaults().withPicker(Picker.named("power-of-two-choices"));
 * }</pre>
 */
public enum Picker {

    /**
     * The highest total. Ties are broken by the seed: the scan starts at a seed-chosen candidate and
     * keeps the first best it meets, so equally good endpoints share the traffic. The best routing a
     * single gateway can make, since it sees its own picks through the in-flight counts.
     */
    MAX_SCORE("max-score") {
        @Override
        int choose(double[] totals, int count, long seed) {
            int start = SplitMix.index(seed, count);
            int best = start;
            double bestTotal = totals[start];
            for (int i = start + 1; i < count; i++) {
                if (totals[i] > bestTotal) {
                    best = i;
                    bestTotal = totals[i];
                }
            }
            for (int i = 0; i < start; i++) {
                if (totals[i] > bestTotal) {
                    best = i;
                    bestTotal = totals[i];
                }
            }
            return best;
        }
    },

    /**
     * The better of two candidates drawn at random. Several gateway replicas that cannot see each
     * other's in-flight requests then do not all rush to the same best endpoint between scrapes.
     */
    POWER_OF_TWO_CHOICES("power-of-two-choices") {
        @Override
        int choose(double[] totals, int count, long seed) {
            if (count == 1) {
                return 0;
            }
            int first = SplitMix.index(SplitMix.nth(seed, 1), count);
            int second = (first + 1 + SplitMix.index(SplitMix.nth(seed, 2), count - 1)) % count;
            return totals[second] > totals[first] ? second : first;
        }
    },

    /** A candidate drawn with probability proportional to its total; uniform when every total is 0. */
    WEIGHTED_RANDOM("weighted-random") {
        @Override
        int choose(double[] totals, int count, long seed) {
            double sum = 0;
            for (int i = 0; i < count; i++) {
                sum += totals[i];
            }
            if (!(sum > 0)) {
                return SplitMix.index(SplitMix.nth(seed, 1), count);
            }
            double target = SplitMix.unit(SplitMix.nth(seed, 1)) * sum;
            double cumulative = 0;
            for (int i = 0; i < count; i++) {
                cumulative += totals[i];
                if (target < cumulative) {
                    return i;
                }
            }
            return count - 1; // rounding left target at the very end of the sum
        }
    };

    private final String configName;

    Picker(String configName) {
        this.configName = configName;
    }

    /** The name used in configuration, e.g. {@code max-score}. */
    public String configName() {
        return configName;
    }

    /** The picker configured as {@code name}, e.g. {@code power-of-two-choices}. */
    public static Picker named(String name) {
        for (Picker picker : values()) {
            if (picker.configName.equals(name)) {
                return picker;
            }
        }
        throw new IllegalArgumentException("picker: '" + name + "' (expected one of: "
                + Arrays.stream(values()).map(Picker::configName).collect(Collectors.joining(", ")) + ")");
    }

    /** Index in {@code [0, count)} of the chosen candidate; {@code count >= 1}. */
    abstract int choose(double[] totals, int count, long seed);
}
