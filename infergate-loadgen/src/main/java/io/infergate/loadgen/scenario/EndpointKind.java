package io.infergate.loadgen.scenario;

/** Which OpenAI-compatible API a request class calls. */
public enum EndpointKind {
    /** {@code POST /v1/chat/completions} with one user message. */
    CHAT("/v1/chat/completions"),
    /** {@code POST /v1/completions} with a prompt. */
    COMPLETIONS("/v1/completions");

    private final String path;

    EndpointKind(String path) {
        this.path = path;
    }

    /** The request path, e.g. {@code /v1/chat/completions}. */
    public String path() {
        return path;
    }
}
