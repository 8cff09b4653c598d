package io.infergate.gateway.api;

/**
 * The fields of an inference request body the gateway routes on. The body itself is forwarded as
 * received, never re-serialised.
 *
 * @param model        the {@code model} field
 * @param stream       the {@code stream} field (false when absent)
 * @param includeUsage {@code stream_options.include_usage}
 * @param maxTokens    {@code max_tokens} or {@code max_completion_tokens}, -1 when absent
 * @param promptBytes  size in bytes of the prompt ({@code messages}, {@code prompt} or {@code input})
 */
public record InferenceBody(String model, boolean stream, boolean includeUsage, int maxTokens, int promptBytes) {

    /** Rough prompt size in tokens: about four bytes of English text per token. */
    public int estimatedPromptTokens() {
        return (promptBytes + 3) / 4;
    }
}
