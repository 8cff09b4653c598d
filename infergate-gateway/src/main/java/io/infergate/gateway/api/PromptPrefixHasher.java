package io.infergate.gateway.api;

import io.infergate.core.random.SplitMix;
import io.infergate.core.request.RoutingRequest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Turns the prompt of a request body into the block hashes of {@link RoutingRequest#prefixHashes()},
 * so that requests sharing a prompt prefix (a system prompt, a conversation so far) can be routed to
 * the endpoint that has it cached, while the gateway keeps no prompt text. The prompt's raw JSON
 * bytes (the value of {@code messages}, {@code prompt} or {@code input}, as the client sent them) are
 * cut into blocks of {@value #BLOCK_BYTES} bytes, about 64 tokens; hash {@code i} covers blocks
 * {@code 0..i} (each block's hash is seeded with the previous one), so equal hashes at {@code i} mean
 * equal prompts up to the end of block {@code i}. The last, partial block is left out: it is the part
 * of a conversation that changes from turn to turn. At most {@value #MAX_BLOCKS} blocks (32 KiB) are
 * hashed, which bounds the work to a few microseconds per request.
 *
 * <pre>{@code
 * long[] hashes = PromptPrefixHasher.hash(body, promptStart, promptEnd);   // the value's byte range
 * RoutingRequest request = new RoutingRequest(id, model, tokens, maxTokens, stream, priority, tenant,
 *         region, hashes);
 * }</pre>
 *
 * <p>Raw bytes rather than parsed text: a client serialises the same conversation the same way each
 * turn, and hashing bytes needs no second parse. A different client spelling the same prompt with
 * other whitespace or escapes simply shares no prefix.
 */
public final class PromptPrefixHasher {

    /** Bytes per block: about 64 tokens of English text. */
    public static final int BLOCK_BYTES = 256;
    /** Blocks hashed at most: the first 32 KiB of a prompt. */
    public static final int MAX_BLOCKS = 128;

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long SEED = 0x6A09E667F3BCC908L;
    private static final long MULTIPLIER_1 = 0x87C37B91114253D5L;
    private static final long MULTIPLIER_2 = 0x4CF5AD432745937FL;

    private PromptPrefixHasher() {
    }

    /**
     * The chained hashes of the full blocks of {@code body[start, end)}; {@link RoutingRequest#NO_PREFIX}
     * when the prompt is shorter than one block.
     */
    public static long[] hash(byte[] body, int start, int end) {
        if (start < 0 || end > body.length || start > end) {
            throw new IndexOutOfBoundsException("prompt range: [" + start + ", " + end + ") (expected: within the body's "
                    + body.length + " bytes)");
        }
        int blocks = Math.min(MAX_BLOCKS, (end - start) / BLOCK_BYTES);
        if (blocks == 0) {
            return RoutingRequest.NO_PREFIX;
        }
        long[] hashes = new long[blocks];
        long hash = SEED;
        for (int block = 0; block < blocks; block++) {
            int offset = start + block * BLOCK_BYTES;
            for (int word = offset; word < offset + BLOCK_BYTES; word += Long.BYTES) {
                hash = Long.rotateLeft(hash ^ (long) LONGS.get(body, word) * MULTIPLIER_1, 31) * MULTIPLIER_2;
            }
            hash = SplitMix.mix(hash);
            hashes[block] = hash;
        }
        return hashes;
    }
}
