package io.infergate.gateway.config;

/**
 * The inference-server dialect of a pool: which API it speaks and which metric names it exports.
 * Spelled in lower case in the file ({@code type: vllm}); {@link #configName()} gives that spelling,
 * which is also the {@code serverType} of the core {@link io.infergate.core.fleet.Endpoint}.
 */
public enum ServerType {
    VLLM("/health"), SGLANG("/health"), TGI("/health"), TRITON("/v2/health/ready"), OLLAMA("/v1/models"),
    OPENAI("/v1/models");

    private final String healthPath;

    ServerType(String healthPath) {
        this.healthPath = healthPath;
    }

    /** The path an active health probe fetches; a 200 means the server is ready, e.g. {@code /health}. */
    public String healthPath() {
        return healthPath;
    }

    /** The spelling in the configuration file, e.g. {@code vllm}. */
    public String configName() {
        return ConfigNames.of(this);
    }
}
