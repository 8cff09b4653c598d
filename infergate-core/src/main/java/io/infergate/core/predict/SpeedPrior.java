package io.infergate.core.predict;

import io.infergate.core.engine.EngineProfile;

import java.util.Objects;

/**
 * What an endpoint's speeds are assumed to be before the gateway has seen it answer: the starting
 * point that {@link LatencyPredictor} corrects from observations.
 *
 * <pre>{@code
 * SpeedPrior l4 = SpeedPriors.forEndpoint(endpoint);                     // from accelerator and model size
 * SpeedPrior profiled = SpeedPrior.of(EngineProfiles.named("l4-llama3-8b")); // from an engine profile
 * }</pre>
 *
 * @param source               where the figures come from, e.g. {@code NVIDIA L4 x1, 8B parameters}
 * @param prefillNanosPerToken time to prefill one prompt token
 * @param stepBaseNanos        time of one decode step whatever the batch (streaming the weights once)
 * @param stepNanosPerSeq      what each sequence in the batch adds to a decode step (its KV-cache reads)
 * @param maxBatch             sequences the server runs at once before new requests wait
 */
public record SpeedPrior(String source, double prefillNanosPerToken, double stepBaseNanos, double stepNanosPerSeq,
                         int maxBatch) {

    /** Tokens of prompt and output a sequence is assumed to hold in the KV cache, to turn cache size into a batch. */
    static final int TOKENS_PER_SEQUENCE = 1024;

    public SpeedPrior {
        Objects.requireNonNull(source, "source");
        requirePositive("prefillNanosPerToken", prefillNanosPerToken);
        requirePositive("stepBaseNanos", stepBaseNanos);
        if (!(stepNanosPerSeq >= 0) || Double.isInfinite(stepNanosPerSeq)) {
            throw new IllegalArgumentException(
                    "stepNanosPerSeq: " + stepNanosPerSeq + " (expected: a finite number >= 0)");
        }
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch: " + maxBatch + " (expected: >= 1)");
        }
    }

    /**
     * The speeds of an engine profile: its step costs as they are, and as batch the smaller of its
     * sequence limit and what its KV cache holds at {@value #TOKENS_PER_SEQUENCE} tokens a sequence.
     * A profile with no cost at all (such as {@code instant}) is given one nanosecond per token and step.
     */
    public static SpeedPrior of(EngineProfile profile) {
        int kvBatch = Math.max(1, profile.kvCacheTokens() / TOKENS_PER_SEQUENCE);
        return new SpeedPrior("engine profile " + profile.name(), Math.max(1, profile.prefillNanosPerToken()),
                Math.max(1, profile.stepBaseNanos()), profile.stepNanosPerSeq(),
                Math.min(profile.maxNumSeqs(), kvBatch));
    }

    /** The duration of one decode step with {@code batch} sequences running. */
    public double stepNanos(int batch) {
        return stepBaseNanos + stepNanosPerSeq * Math.max(1, batch);
    }

    private static void requirePositive(String field, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: a finite number > 0)");
        }
    }
}
