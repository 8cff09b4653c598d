package io.infergate.emulator;

import java.util.List;

/**
 * An embeddings request as the emulator understood it.
 *
 * @param model        model name served
 * @param inputs       each input as text (token-id inputs as their ids joined by spaces)
 * @param promptTokens estimated tokens of all inputs together
 * @param dimensions   length of each vector
 * @param base64       vectors as base64 of little-endian float32 instead of JSON arrays
 * @param priority     the {@code priority} field, 0 when absent
 */
record EmbeddingRequest(String model, List<String> inputs, int promptTokens, int dimensions, boolean base64,
                        long priority) {
}
