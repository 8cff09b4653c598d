package io.infergate.emulator;

import java.nio.charset.StandardCharsets;

/**
 * The emulated model's output, a pure function of the seed and the request: a token is one word (or
 * punctuation mark), so a reply of n tokens is n stream chunks; an embedding is a unit vector. The same
 * prompt to the same model gives the same text, whatever the order requests arrive in.
 */
final class OutputGenerator {

    private static final String[] WORDS = {
            "the", "model", "token", "answer", "request", "server", "batch", "cache", "latency", "gateway",
            "inference", "routing", "queue", "fleet", "region", "edge", "cloud", "node", "stream", "prompt",
            "is", "are", "was", "can", "will", "should", "may", "runs", "sends", "waits",
            "a", "an", "of", "to", "in", "on", "for", "with", "by", "from",
            "fast", "slow", "busy", "idle", "warm", "cold", "small", "large", "first", "next",
            "this", "that", "each", "every", "some", "many", "more", "less", "here", "now",
            ",", ",", ".", "."};

    private final long seed;
    private long idCounter;

    OutputGenerator(long seed) {
        this.seed = seed;
    }

    /** Identifies a request's output: equal for equal model and prompt. */
    long key(String model, String prompt) {
        return mix(seed ^ mix(fnv(model)) ^ fnv(prompt));
    }

    /** Text of output token {@code index}: a word with a leading space (none for the first), or punctuation. */
    String token(long key, int index) {
        String word = WORDS[(int) Long.remainderUnsigned(mix(key + 0x9E3779B97F4A7C15L * (index + 1)), WORDS.length)];
        boolean punctuation = word.length() == 1 && !Character.isLetter(word.charAt(0));
        return index == 0 || punctuation ? word : " " + word;
    }

    /** A deterministic unit vector of {@code dimensions} floats. */
    float[] embedding(long key, int dimensions) {
        float[] vector = new float[dimensions];
        double norm = 0;
        for (int i = 0; i < dimensions; i++) {
            double x = (mix(key + 0xBF58476D1CE4E5B9L * (i + 1)) >>> 11) * 0x1.0p-53 * 2 - 1;
            vector[i] = (float) x;
            norm += x * x;
        }
        float scale = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dimensions; i++) {
            vector[i] *= scale;
        }
        return vector;
    }

    /** A fresh response id such as {@code chatcmpl-5f0c...}; the sequence depends on the seed only. */
    String nextId(String prefix) {
        return prefix + "-" + String.format("%016x", mix(seed + ++idCounter));
    }

    /** SplitMix64's finaliser: spreads every input bit over the whole output. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static long fnv(String text) {
        long hash = 0xCBF29CE484222325L;
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            hash = (hash ^ (b & 0xFF)) * 0x100000001B3L;
        }
        return hash;
    }
}
