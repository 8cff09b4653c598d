package io.infergate.core.engine;

import java.time.Duration;
import java.util.Objects;

/**
 * How fast one inference server (a GPU type running a model with a serving engine like vLLM) is, and
 * how much it can hold at once. {@link EngineModel} turns these figures into timings.
 *
 * <p>A step of the engine takes {@code stepBaseNanos + stepNanosPerSeq × decoding sequences +
 * prefillNanosPerToken × prompt tokens prefilled in the step}: the base is the time to stream the
 * weights through the GPU once, each running sequence adds its attention and KV-cache reads, and
 * prefill is compute bound, so it costs per prompt token.
 *
 * <pre>{@code
 * EngineProfile a100 = EngineProfiles.named("a100-llama3-8b");
 * EngineProfile small = a100.toBuilder().maxNumSeqs(4).build();
 * EngineProfile metronome = a100.withFixedStep(Duration.ofMillis(100)); // every step exactly 100 ms
 * }</pre>
 *
 * @param name                 short name, e.g. {@code a100-llama3-8b}
 * @param description          one line saying what it approximates
 * @param maxNumSeqs           most sequences in the running batch (vLLM {@code --max-num-seqs})
 * @param maxBatchedTokens     most tokens one step processes, decode and prefill together
 *                             (vLLM {@code --max-num-batched-tokens}); longer prompts are prefilled in chunks
 * @param kvCacheTokens        tokens the KV cache holds
 * @param kvBlockTokens        tokens per KV-cache block; reservations are rounded up to whole blocks
 * @param maxModelLen          most tokens, prompt and output together, one request may use
 * @param prefillNanosPerToken prefill cost per prompt token
 * @param stepBaseNanos        fixed cost of one engine step
 * @param stepNanosPerSeq      added cost per sequence decoded in the step
 * @param defaultOutputTokens  output length when the request sets no bound
 */
public record EngineProfile(
        String name,
        String description,
        int maxNumSeqs,
        int maxBatchedTokens,
        int kvCacheTokens,
        int kvBlockTokens,
        int maxModelLen,
        long prefillNanosPerToken,
        long stepBaseNanos,
        long stepNanosPerSeq,
        int defaultOutputTokens) {

    public EngineProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        requireAtLeast("maxNumSeqs", maxNumSeqs, 1);
        requireAtLeast("maxBatchedTokens", maxBatchedTokens, maxNumSeqs);
        requireAtLeast("kvBlockTokens", kvBlockTokens, 1);
        requireAtLeast("maxModelLen", maxModelLen, 2);
        requireAtLeast("kvCacheTokens", kvCacheTokens, roundUp(maxModelLen, kvBlockTokens));
        requireAtLeast("prefillNanosPerToken", prefillNanosPerToken, 0);
        requireAtLeast("stepBaseNanos", stepBaseNanos, 0);
        requireAtLeast("stepNanosPerSeq", stepNanosPerSeq, 0);
        if (defaultOutputTokens < 1 || defaultOutputTokens >= maxModelLen) {
            throw new IllegalArgumentException("defaultOutputTokens: " + defaultOutputTokens
                    + " (expected: 1-" + (maxModelLen - 1) + ", below maxModelLen)");
        }
    }

    /** Duration of one engine step that decodes {@code decodingSeqs} sequences and prefills {@code prefillTokens}. */
    public long stepNanos(int decodingSeqs, int prefillTokens) {
        return stepBaseNanos + stepNanosPerSeq * decodingSeqs + prefillNanosPerToken * prefillTokens;
    }

    /** KV-cache tokens a request of this total length reserves: rounded up to whole blocks. */
    public int kvReservation(int totalTokens) {
        return roundUp(totalTokens, kvBlockTokens);
    }

    /**
     * This profile with every step taking exactly {@code step}, whatever the batch and the prefill:
     * tokens of a running request then come exactly {@code step} apart and the first one {@code step}
     * after admission. For tests that need a metronome.
     */
    public EngineProfile withFixedStep(Duration step) {
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("step: " + step + " (expected: > 0)");
        }
        return toBuilder().stepBaseNanos(step.toNanos()).stepNanosPerSeq(0).prefillNanosPerToken(0).build();
    }

    public static Builder builder(String name) {
        return new Builder(name);
    }

    public Builder toBuilder() {
        return new Builder(name)
                .description(description)
                .maxNumSeqs(maxNumSeqs)
                .maxBatchedTokens(maxBatchedTokens)
                .kvCacheTokens(kvCacheTokens)
                .kvBlockTokens(kvBlockTokens)
                .maxModelLen(maxModelLen)
                .prefillNanosPerToken(prefillNanosPerToken)
                .stepBaseNanos(stepBaseNanos)
                .stepNanosPerSeq(stepNanosPerSeq)
                .defaultOutputTokens(defaultOutputTokens);
    }

    private static int roundUp(int tokens, int block) {
        return (int) Math.min(Integer.MAX_VALUE, ((long) tokens + block - 1) / block * block);
    }

    private static void requireAtLeast(String field, long value, long min) {
        if (value < min) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: >= " + min + ")");
        }
    }

    /**
     * Builds an {@link EngineProfile}. Defaults are vLLM's scheduler defaults (256 sequences, 8192
     * batched tokens, blocks of 16) with zero costs; {@link #maxNumSeqs} raises the batched-token
     * budget when it would fall below the sequence count.
     */
    public static final class Builder {
        private final String name;
        private String description = "";
        private int maxNumSeqs = 256;
        private int maxBatchedTokens = 8192;
        private int kvCacheTokens = 1 << 20;
        private int kvBlockTokens = 16;
        private int maxModelLen = 8192;
        private long prefillNanosPerToken;
        private long stepBaseNanos;
        private long stepNanosPerSeq;
        private int defaultOutputTokens = 256;

        private Builder(String name) {
            this.name = name;
        }

        public Builder description(String description) { this.description = description; return this; }
        public Builder maxBatchedTokens(int maxBatchedTokens) { this.maxBatchedTokens = maxBatchedTokens; return this; }
        public Builder kvCacheTokens(int kvCacheTokens) { this.kvCacheTokens = kvCacheTokens; return this; }
        public Builder kvBlockTokens(int kvBlockTokens) { this.kvBlockTokens = kvBlockTokens; return this; }
        public Builder maxModelLen(int maxModelLen) { this.maxModelLen = maxModelLen; return this; }
        public Builder prefillNanosPerToken(long nanos) { this.prefillNanosPerToken = nanos; return this; }
        public Builder stepBaseNanos(long nanos) { this.stepBaseNanos = nanos; return this; }
        public Builder stepNanosPerSeq(long nanos) { this.stepNanosPerSeq = nanos; return this; }
        public Builder defaultOutputTokens(int tokens) { this.defaultOutputTokens = tokens; return this; }

        public Builder maxNumSeqs(int maxNumSeqs) {
            this.maxNumSeqs = maxNumSeqs;
            this.maxBatchedTokens = Math.max(maxBatchedTokens, maxNumSeqs);
            return this;
        }

        public EngineProfile build() {
            return new EngineProfile(name, description, maxNumSeqs, maxBatchedTokens, kvCacheTokens,
                    kvBlockTokens, maxModelLen, prefillNanosPerToken, stepBaseNanos, stepNanosPerSeq,
                    defaultOutputTokens);
        }
    }
}
