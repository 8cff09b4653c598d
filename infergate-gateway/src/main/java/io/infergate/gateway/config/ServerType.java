package io.infergate.gateway.config;

/**
 * The inference-server dialect of a pool: which API it speaks and which metric names it exports.
 * Spelled in lower case in the file ({@code type: vllm}); {@link #configName()} gives that spelling,
 * which is also the {@code serverType} of the core {@link io.infergate.core.fleet.Endpoint}.
 */
public enum ServerType {
    VLLM, SGLANG, TGI, TRITON, OLLAMA, OPENAI;

    /** The spelling in the configuration file, e.g. {@code vllm}. */
    public String configName() {
        return ConfigNames.of(this);
    }
}
