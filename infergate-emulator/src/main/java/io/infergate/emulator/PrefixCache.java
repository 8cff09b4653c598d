package io.infergate.emulator;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Automatic prefix caching as vLLM does it, reduced to its effect on timing: a prompt is cut into
 * KV-cache blocks (at the emulator's four bytes of UTF-8 per token, a block of 16 tokens is 64 bytes),
 * each block named by a hash chained over the model and every block before it, and the leading blocks
 * found in an LRU of recently seen block hashes need no prefill. The gateway-visible counters are
 * vLLM's: tokens queried and tokens hit. Blocks are remembered when the request is admitted, not when
 * its prefill ends, and the LRU holds as many blocks as the KV cache has, whatever the running requests
 * use. Used from the server's event loop only.
 *
 * <pre>{@code
 * PrefixCache cache = new PrefixCache(16, 430_000 / 16);
 * int cached = cache.lookup(model, prompt, promptTokens);   // tokens that need no prefill
 * engine.submit(promptTokens - cached, outputTokens, listener);
 * }</pre>
 */
final class PrefixCache {

    private static final int BYTES_PER_TOKEN = 4;

    private final int blockTokens;
    private final int capacityBlocks;
    private final Map<Long, Boolean> blocks;
    private long queriedTokens;
    private long hitTokens;

    /**
     * @param blockTokens    tokens per KV-cache block
     * @param capacityBlocks most blocks remembered; 0 turns caching off (nothing is ever hit)
     */
    PrefixCache(int blockTokens, int capacityBlocks) {
        if (blockTokens < 1) {
            throw new IllegalArgumentException("blockTokens: " + blockTokens + " (expected: >= 1)");
        }
        if (capacityBlocks < 0) {
            throw new IllegalArgumentException("capacityBlocks: " + capacityBlocks + " (expected: >= 0)");
        }
        this.blockTokens = blockTokens;
        this.capacityBlocks = capacityBlocks;
        this.blocks = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                return size() > PrefixCache.this.capacityBlocks;
            }
        };
    }

    /**
     * Counts a request's prompt as queried, remembers its whole blocks and returns how many of its tokens
     * were cached: whole leading blocks, short of the last token, which is always computed.
     */
    int lookup(String model, String prompt, int promptTokens) {
        queriedTokens += promptTokens;
        if (capacityBlocks == 0) {
            return 0;
        }
        byte[] bytes = prompt.getBytes(StandardCharsets.UTF_8);
        int blockBytes = blockTokens * BYTES_PER_TOKEN;
        int fullBlocks = Math.min(bytes.length / blockBytes, promptTokens / blockTokens);
        int hittableBlocks = (promptTokens - 1) / blockTokens;
        byte[] modelBytes = model.getBytes(StandardCharsets.UTF_8);
        long chain = fnv(modelBytes, 0, modelBytes.length, 0xCBF29CE484222325L);
        int hitBlocks = 0;
        for (int block = 0; block < fullBlocks; block++) {
            chain = fnv(bytes, block * blockBytes, blockBytes, chain);
            boolean cached = blocks.put(chain, Boolean.TRUE) != null;
            if (cached && hitBlocks == block && block < hittableBlocks) {
                hitBlocks++;
            }
        }
        int hit = hitBlocks * blockTokens;
        hitTokens += hit;
        return hit;
    }

    /** Prompt tokens looked up so far ({@code vllm:prefix_cache_queries_total}). */
    long queriedTokens() {
        return queriedTokens;
    }

    /** Prompt tokens found cached so far ({@code vllm:prefix_cache_hits_total}). */
    long hitTokens() {
        return hitTokens;
    }

    private static long fnv(byte[] bytes, int from, int length, long seed) {
        long hash = seed;
        for (int i = from; i < from + length; i++) {
            hash = (hash ^ (bytes[i] & 0xFF)) * 0x100000001B3L;
        }
        return hash;
    }
}
