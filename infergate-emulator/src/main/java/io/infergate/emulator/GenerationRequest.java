package io.infergate.emulator;

/**
 * A chat or completion request as the emulator understood it.
 *
 * @param api          chat or completion
 * @param model        model name served
 * @param prompt       the prompt text (chat: every message, role first), which selects the output text
 * @param promptTokens estimated prompt length, see {@link RequestParser}
 * @param outputTokens exactly how many tokens the reply will have
 * @param finishReason {@code length} when {@code outputTokens} is the request's bound, {@code stop} otherwise
 * @param stream       reply as server-sent events
 * @param includeUsage streamed: end with a chunk carrying {@code usage}
 * @param priority     the {@code priority} field, 0 when absent; lower is admitted earlier under the priority policy
 */
record GenerationRequest(
        GenerationApi api,
        String model,
        String prompt,
        int promptTokens,
        int outputTokens,
        String finishReason,
        boolean stream,
        boolean includeUsage,
        long priority) {
}
