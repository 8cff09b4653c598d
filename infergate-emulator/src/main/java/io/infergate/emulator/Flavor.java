package io.infergate.emulator;

import java.util.Arrays;
import java.util.Locale;

/**
 * Which inference server the emulator pretends to be, as far as a gateway can tell: the metric names
 * of its {@code /metrics} page and its health path. The API stays OpenAI's in every flavour (SGLang
 * and TGI serve it too; Triton through its OpenAI-compatible frontend).
 *
 * <pre>{@code
 * EmulatorOptions options = EmulatorOptions.builder().flavor(Flavor.TRITON).build();
 * String ready = Flavor.named("triton").healthPath();    // /v2/health/ready
 * }</pre>
 */
public enum Flavor {
    /** vLLM's OpenAI server: {@code vllm:*} metrics, {@code GET /health}. */
    VLLM("/health", 503, new VllmMetrics()),
    /** SGLang: {@code sglang:*} metrics, {@code GET /health}. */
    SGLANG("/health", 503, new SglangMetrics()),
    /** Text Generation Inference: {@code tgi_*} metrics without a model label, {@code GET /health}. */
    TGI("/health", 503, new TgiMetrics()),
    /**
     * Triton with the vLLM backend: {@code nv_*} and {@code vllm:*} metrics on one page, KServe v2's
     * {@code GET /v2/health/ready}, which answers 400 until the server is ready.
     */
    TRITON("/v2/health/ready", 400, new TritonMetrics());

    private final String healthPath;
    private final int notReadyStatus;
    private final MetricsDialect metrics;

    Flavor(String healthPath, int notReadyStatus, MetricsDialect metrics) {
        this.healthPath = healthPath;
        this.notReadyStatus = notReadyStatus;
        this.metrics = metrics;
    }

    /** The flavour called {@code name} ({@code vllm}, {@code sglang}, {@code tgi}, {@code triton}). */
    public static Flavor named(String name) {
        return Arrays.stream(values()).filter(f -> f.configName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("flavor: " + name + " (expected one of: "
                        + String.join(", ", Arrays.stream(values()).map(Flavor::configName).toList()) + ")"));
    }

    /** The name in lower case, as on the command line and as a gateway pool's {@code type}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The path a health check GETs: 200 when ready. */
    public String healthPath() {
        return healthPath;
    }

    /** The status the health path answers while the model is loading. */
    public int notReadyStatus() {
        return notReadyStatus;
    }

    /** This flavour's metric names. */
    MetricsDialect metrics() {
        return metrics;
    }
}
