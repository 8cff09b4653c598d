package io.infergate.emulator;

/**
 * What NVIDIA's dcgm-exporter would report for the emulated GPU, appended to the server's own page when
 * the emulator runs with {@code --dcgm}: utilisation, memory-copy utilisation and DRAM activity,
 * framebuffer used and free, with the exporter's label set (gpu, UUID, device, modelName, Hostname).
 * Integer fields print as integers, profiling ratios as decimals, as the exporter prints them.
 */
final class DcgmMetrics {

    private DcgmMetrics() {
    }

    static void render(MetricsPage page, ServerState state) {
        EmulatedGpu gpu = state.gpu();
        String labels = String.join(",", MetricsPage.label("gpu", "0"), MetricsPage.label("UUID", gpu.uuid()),
                MetricsPage.label("device", "nvidia0"), MetricsPage.label("modelName", gpu.modelName()),
                MetricsPage.label("Hostname", "infergate-emulator"));
        long usedMiB = gpu.framebufferUsedMiB();
        page.family("DCGM_FI_DEV_GPU_UTIL", "GPU utilization (in %).", "gauge")
                .sample("DCGM_FI_DEV_GPU_UTIL", labels, Math.round(state.gpuUtilisation() * 100))
                .family("DCGM_FI_DEV_MEM_COPY_UTIL", "Memory utilization (in %).", "gauge")
                .sample("DCGM_FI_DEV_MEM_COPY_UTIL", labels, Math.round(state.dramActive() * 100))
                .family("DCGM_FI_DEV_FB_FREE", "Framebuffer memory free (in MiB).", "gauge")
                .sample("DCGM_FI_DEV_FB_FREE", labels, gpu.framebufferMiB() - usedMiB)
                .family("DCGM_FI_DEV_FB_USED", "Framebuffer memory used (in MiB).", "gauge")
                .sample("DCGM_FI_DEV_FB_USED", labels, usedMiB)
                .gauge("DCGM_FI_PROF_GR_ENGINE_ACTIVE", "Ratio of time the graphics engine is active.", labels,
                        state.gpuUtilisation())
                .gauge("DCGM_FI_PROF_DRAM_ACTIVE",
                        "Ratio of cycles the device memory interface is active sending or receiving data.", labels,
                        state.dramActive());
    }
}
