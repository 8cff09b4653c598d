package io.infergate.emulator;

import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * The GPU an emulated server pretends to run on, for the pages that report GPUs (Triton's, a DCGM
 * exporter's): its product name, framebuffer size and a UUID drawn from the seed. The GPU follows the
 * engine profile's name ({@code a100-...}, {@code h100-...}, {@code l4-...}, {@code a10g-...}); other
 * profiles get an A100 80GB.
 *
 * <p>Memory-bandwidth activity is not measured but derived: a decode step streams all weights once
 * whatever the batch, and every sequence adds its KV-cache reads, so DRAM activity rises with the batch,
 * from {@link #DRAM_ACTIVE_AT_BATCH_ONE} to {@link #DRAM_ACTIVE_AT_FULL_BATCH}, times utilisation.
 * Framebuffer use is constant, as vLLM's is: it takes {@link #MEMORY_UTILISATION} of the memory at start
 * for weights and KV cache.
 *
 * @param modelName     product name, e.g. {@code NVIDIA A100-SXM4-80GB}
 * @param framebufferMiB framebuffer size in MiB, as {@code nvidia-smi} reports it
 * @param uuid          {@code GPU-...}
 */
record EmulatedGpu(String modelName, long framebufferMiB, String uuid) {

    static final long MIB = 1024 * 1024;
    static final double DRAM_ACTIVE_AT_BATCH_ONE = 0.45;
    static final double DRAM_ACTIVE_AT_FULL_BATCH = 0.90;
    /** vLLM's default {@code --gpu-memory-utilization}. */
    static final double MEMORY_UTILISATION = 0.9;

    private record Product(String profilePrefix, String modelName, long framebufferMiB) {
    }

    private static final List<Product> PRODUCTS = List.of(
            new Product("a100-", "NVIDIA A100-SXM4-80GB", 81_920),
            new Product("h100-", "NVIDIA H100 80GB HBM3", 81_559),
            new Product("l4-", "NVIDIA L4", 23_034),
            new Product("a10g-", "NVIDIA A10G", 23_028));

    static EmulatedGpu forProfile(String profileName, long seed) {
        Product product = PRODUCTS.stream().filter(p -> profileName.startsWith(p.profilePrefix())).findFirst()
                .orElse(PRODUCTS.getFirst());
        SplittableRandom random = new SplittableRandom(seed);
        return new EmulatedGpu(product.modelName(), product.framebufferMiB(),
                "GPU-" + new UUID(random.nextLong(), random.nextLong()));
    }

    long framebufferUsedMiB() {
        return Math.round(framebufferMiB * MEMORY_UTILISATION);
    }

    /** DRAM activity, 0..1, at this utilisation with {@code running} of at most {@code maxNumSeqs} sequences. */
    static double dramActive(double utilisation, int running, int maxNumSeqs) {
        double batchShare = Math.min(1.0, (double) running / maxNumSeqs);
        return utilisation * (DRAM_ACTIVE_AT_BATCH_ONE + (DRAM_ACTIVE_AT_FULL_BATCH - DRAM_ACTIVE_AT_BATCH_ONE) * batchShare);
    }
}
