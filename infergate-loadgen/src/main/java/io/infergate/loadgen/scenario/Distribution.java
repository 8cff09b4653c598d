package io.infergate.loadgen.scenario;

import java.util.random.RandomGenerator;

/**
 * A distribution of token counts (prompt or output length). Samples are whole numbers, at least 1.
 *
 * <pre>{@code
 * Distribution fixed = new Distribution.Fixed(128);
 * Distribution uniform = new Distribution.Uniform(50, 400);
 * Distribution normal = new Distribution.Normal(200, 50);   // truncated to [1, mean + 4 sd]
 * int tokens = normal.sample(new SplittableRandom(1));
 * }</pre>
 */
public sealed interface Distribution {

    int sample(RandomGenerator random);

    /** The largest value {@link #sample} can return. */
    int max();

    /** The mean of the samples, before truncation. */
    double mean();

    /** Always the same value. */
    record Fixed(int value) implements Distribution {
        public Fixed {
            requirePositive("value", value);
        }

        @Override
        public int sample(RandomGenerator random) {
            return value;
        }

        @Override
        public int max() {
            return value;
        }

        @Override
        public double mean() {
            return value;
        }
    }

    /** Uniform over {@code [min, max]}, both included. */
    record Uniform(int min, int max) implements Distribution {
        public Uniform {
            requirePositive("min", min);
            if (max < min) {
                throw new IllegalArgumentException("max: " + max + " (expected: >= min " + min + ")");
            }
        }

        @Override
        public int sample(RandomGenerator random) {
            return random.nextInt(min, max + 1);
        }

        @Override
        public double mean() {
            return (min + max) / 2.0;
        }
    }

    /** Normal with the given mean and standard deviation, rounded and truncated to {@code [1, mean + 4 sd]}. */
    record Normal(double mean, double stddev) implements Distribution {
        public Normal {
            if (!(mean >= 1)) {
                throw new IllegalArgumentException("mean: " + mean + " (expected: >= 1)");
            }
            if (!(stddev >= 0)) {
                throw new IllegalArgumentException("stddev: " + stddev + " (expected: >= 0)");
            }
        }

        @Override
        public int sample(RandomGenerator random) {
            long value = Math.round(random.nextGaussian(mean, stddev));
            return (int) Math.clamp(value, 1, max());
        }

        @Override
        public int max() {
            return (int) Math.ceil(mean + 4 * stddev);
        }
    }

    private static void requirePositive(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: >= 1 token)");
        }
    }
}
