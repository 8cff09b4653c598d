package io.infergate.gateway.fleet;

/**
 * A figure read from an endpoint's metrics. The first five are the server-reported fields of the core's
 * {@link io.infergate.core.fleet.EndpointLoad}; the batch limit goes to the endpoint's capacity estimate; the GPU memory figures stay on the gateway side (gauges
 * and {@link ScrapedFigures}) because no scheduler decision uses them yet.
 */
public enum LoadFigure {
    /** Requests queued on the server, a count. */
    WAITING,
    /** Requests being decoded, a count. */
    RUNNING,
    /** KV-cache use, 0..1. */
    KV_CACHE_USAGE,
    /** Share of prompt tokens served from the prefix cache, 0..1. */
    PREFIX_CACHE_HIT_RATE,
    /** Share of time the GPU was running kernels, 0..1. */
    GPU_UTILISATION,
    /** Share of cycles the GPU's memory interface was busy (DCGM's DRAM activity), 0..1. */
    GPU_MEMORY_BANDWIDTH,
    /** GPU memory in use, bytes, summed over the endpoint's GPUs. */
    GPU_FRAMEBUFFER_USED_BYTES,
    /** GPU memory in use as a share of the total, 0..1. */
    GPU_FRAMEBUFFER_USAGE,
    /**
     * The most requests the server runs at once, where it exports it (SGLang's {@code sglang:max_running_requests});
     * feeds the endpoint's {@link io.infergate.core.fleet.CapacityEstimate}.
     */
    BATCH_LIMIT
}
