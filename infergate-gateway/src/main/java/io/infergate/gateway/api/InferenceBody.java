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
 * @param promptStart  byte offset in the body where the first prompt value starts, for
 *                     {@link PromptPrefixHasher#hash}; equal to {@code promptEnd} when there is none
 * @param promptEnd    byte offset just past the first prompt value
 * @param carriesPriority whether the body has a top-level {@code priority} field, which the gateway
 *                     overwrites or removes ({@link PriorityField})
 */
public record InferenceBody(String model, boolean stream, boolean includeUsage, int maxTokens, int promptBytes,
                            int promptStart, int promptEnd, boolean carriesPriority) {

    /** Rough prompt size in tokens: about four bytes of English text per token. */
    public int estimatedPromptTokens() {
        return (promptBytes + 3) / 4;
    }
}
