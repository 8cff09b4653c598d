package io.infergate.core.engine;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The built-in {@link EngineProfile}s, approximating vLLM serving a BF16 model on one GPU. The figures
 * are derived from NVIDIA datasheet bandwidth and compute with stated efficiency factors; see
 * {@code docs/emulator.md} for the derivation. They are approximations, not measurements.
 *
 * <pre>{@code
 * EngineProfile profile = EngineProfiles.named("l4-llama3-8b");
 * }</pre>
 */
public final class EngineProfiles {

    private static final long MICROS = 1_000L;
    private static final long MILLIS = 1_000_000L;

    /** NVIDIA A100-SXM4-80GB, Llama-3-8B: about 100 tokens/s for one stream, 6 100 tokens/s at 256 sequences. */
    public static final EngineProfile A100_LLAMA3_8B = EngineProfile.builder("a100-llama3-8b")
            .description("NVIDIA A100 80GB SXM, Llama-3-8B BF16, vLLM defaults")
            .maxNumSeqs(256).maxBatchedTokens(8192).kvCacheTokens(430_000).maxModelLen(8192)
            .prefillNanosPerToken(100 * MICROS).stepBaseNanos(10 * MILLIS).stepNanosPerSeq(125 * MICROS)
            .defaultOutputTokens(256)
            .build();

    /** NVIDIA H100-SXM5-80GB, Llama-3-8B: about 165 tokens/s for one stream, 13 600 tokens/s at 256 sequences. */
    public static final EngineProfile H100_LLAMA3_8B = EngineProfile.builder("h100-llama3-8b")
            .description("NVIDIA H100 80GB SXM, Llama-3-8B BF16, vLLM defaults")
            .maxNumSeqs(256).maxBatchedTokens(8192).kvCacheTokens(430_000).maxModelLen(8192)
            .prefillNanosPerToken(33 * MICROS).stepBaseNanos(6 * MILLIS).stepNanosPerSeq(50 * MICROS)
            .defaultOutputTokens(256)
            .build();

    /** NVIDIA L4 24GB, Llama-3-8B: about 15 tokens/s for one stream; a KV cache of only 30 000 tokens. */
    public static final EngineProfile L4_LLAMA3_8B = EngineProfile.builder("l4-llama3-8b")
            .description("NVIDIA L4 24GB, Llama-3-8B BF16, vLLM defaults (slow, small KV cache)")
            .maxNumSeqs(256).maxBatchedTokens(2048).kvCacheTokens(30_000).maxModelLen(8192)
            .prefillNanosPerToken(265 * MICROS).stepBaseNanos(67 * MILLIS).stepNanosPerSeq(500 * MICROS)
            .defaultOutputTokens(256)
            .build();

    /** NVIDIA A10G 24GB (AWS g5), Mistral-7B: about 33 tokens/s for one stream; 42 000 KV tokens. */
    public static final EngineProfile A10G_MISTRAL_7B = EngineProfile.builder("a10g-mistral-7b")
            .description("NVIDIA A10G 24GB, Mistral-7B BF16, vLLM defaults")
            .maxNumSeqs(256).maxBatchedTokens(2048).kvCacheTokens(42_000).maxModelLen(8192)
            .prefillNanosPerToken(230 * MICROS).stepBaseNanos(30 * MILLIS).stepNanosPerSeq(330 * MICROS)
            .defaultOutputTokens(256)
            .build();

    /** Answers at once, with room for anything: isolates the gateway's own overhead in benchmarks. */
    public static final EngineProfile INSTANT = EngineProfile.builder("instant")
            .description("no compute time at all, for measuring proxy overhead")
            .maxNumSeqs(4096).maxBatchedTokens(1 << 20).kvCacheTokens(1 << 26).maxModelLen(131_072)
            .defaultOutputTokens(16)
            .build();

    private static final List<EngineProfile> ALL =
            List.of(A100_LLAMA3_8B, H100_LLAMA3_8B, L4_LLAMA3_8B, A10G_MISTRAL_7B, INSTANT);

    private EngineProfiles() {
    }

    /** Every built-in profile, fastest GPUs first, {@code instant} last. */
    public static List<EngineProfile> all() {
        return ALL;
    }

    /** The built-in profile called {@code name}. */
    public static EngineProfile named(String name) {
        for (EngineProfile profile : ALL) {
            if (profile.name().equals(name)) {
                return profile;
            }
        }
        throw new IllegalArgumentException("profile: " + name + " (expected one of: "
                + ALL.stream().map(EngineProfile::name).collect(Collectors.joining(", ")) + ")");
    }
}
