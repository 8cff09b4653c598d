package io.infergate.core.random;

/**
 * Deterministic pseudo-random bits: SplitMix64's finaliser. The core draws all its randomness
 * (pickers' tie-breaks, backoff jitter) from a seed hashed from the request, never from a shared
 * {@code Random}, so a decision can be replayed and explained exactly.
 *
 * <pre>{@code
 * long seed = SplitMix.mix(requestId.hashCode());
 * double u = SplitMix.unit(SplitMix.nth(seed, 1));   // uniform in [0, 1)
 * }</pre>
 */
public final class SplitMix {

    public static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

    private SplitMix() {
    }

    /** Scrambles {@code z} so that nearby inputs give unrelated outputs. */
    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The {@code n}-th value of the stream started at {@code seed}, scrambled. */
    public static long nth(long seed, int n) {
        return mix(seed + n * GOLDEN_GAMMA);
    }

    /** A uniform index in {@code [0, bound)} taken from {@code bits}. */
    public static int index(long bits, int bound) {
        return (int) Long.remainderUnsigned(bits, bound);
    }

    /** A uniform double in {@code [0, 1)} taken from the top 53 bits of {@code bits}. */
    public static double unit(long bits) {
        return (bits >>> 11) * 0x1.0p-53;
    }
}
