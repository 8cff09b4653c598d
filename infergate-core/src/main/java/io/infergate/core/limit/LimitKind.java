package io.infergate.core.limit;

/** What a bucket counts: requests or tokens; each has its own OpenAI-style {@code x-ratelimit-*} headers. */
public enum LimitKind {
    REQUESTS("requests"),
    TOKENS("tokens");

    private final String label;

    LimitKind(String label) {
        this.label = label;
    }

    /** The suffix of the {@code x-ratelimit-*-<label>} headers and the metric label. */
    public String label() {
        return label;
    }
}
