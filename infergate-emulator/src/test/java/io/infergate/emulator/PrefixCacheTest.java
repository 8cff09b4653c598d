package io.infergate.emulator;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class PrefixCacheTest {

    private static final int BLOCK = 16;
    /** One block of prompt text: 16 tokens at four bytes each. */
    private static final String BLOCK_TEXT = "0123456789abcdef".repeat(4);

    @Test
    void aRepeatedPromptHitsEveryWholeBlockButAlwaysComputesItsLastToken() {
        PrefixCache cache = new PrefixCache(BLOCK, 1000);
        String prompt = BLOCK_TEXT.repeat(3); // exactly 48 tokens

        assertThat(cache.lookup("m", prompt, 48)).as("first time").isZero();
        assertThat(cache.lookup("m", prompt, 48)).as("two whole blocks; the third holds the last token").isEqualTo(32);
        assertThat(cache.lookup("m", prompt + "tail", 49)).as("the third block was cached too").isEqualTo(48);
        assertThat(cache.queriedTokens()).isEqualTo(48 + 48 + 49);
        assertThat(cache.hitTokens()).isEqualTo(32 + 48);
    }

    @Test
    void onlyTheLeadingSharedBlocksHitAndModelsDoNotShare() {
        PrefixCache cache = new PrefixCache(BLOCK, 1000);
        cache.lookup("m", BLOCK_TEXT + BLOCK_TEXT.toUpperCase() + BLOCK_TEXT, 60);

        assertThat(cache.lookup("m", BLOCK_TEXT + "x".repeat(64) + BLOCK_TEXT, 60)).as("diverges in block 2").isEqualTo(16);
        assertThat(cache.lookup("other-model", BLOCK_TEXT.repeat(3), 60)).isZero();
    }

    @Test
    void leastRecentlyUsedBlocksAreForgotten() {
        PrefixCache cache = new PrefixCache(BLOCK, 2);
        cache.lookup("m", "a".repeat(64) + "b".repeat(64), 40);
        cache.lookup("m", "c".repeat(64), 20); // evicts the oldest block, the one for "a"

        assertThat(cache.lookup("m", "a".repeat(64) + "b".repeat(64), 40)).isZero();
    }

    @Test
    void switchedOffItCountsQueriesButNeverHits() {
        PrefixCache cache = new PrefixCache(BLOCK, 0);
        cache.lookup("m", BLOCK_TEXT.repeat(3), 49);

        assertThat(cache.lookup("m", BLOCK_TEXT.repeat(3), 49)).isZero();
        assertThat(cache.queriedTokens()).isEqualTo(98);
    }

    @Test
    void aServerWithPrefixCachingPrefillsARepeatedPromptOnceAndAnswersItSooner() throws Exception {
        String prompt = "You are a helpful assistant. ".repeat(500); // about 3 700 tokens
        try (EmulatorServer server = EmulatorServer.start(EmulatorOptions.builder()
                .profile("a100-llama3-8b").speed(0.5).prefixCaching(true).build())) {
            String body = TestHttp.chat(EmulatedFleet.DEMO_MODEL, prompt, true, "\"max_tokens\":2");

            long first = timeToFirstToken(server.url(), body);
            long second = timeToFirstToken(server.url(), body);
            String metrics = TestHttp.get(server.url(), "/metrics").body();
            System.out.printf("prefix cache, %d-token prompt at speed 0.5: TTFT %.1f ms on a miss, %.1f ms on a hit%n",
                    3 + 4 + RequestParser.textTokens(prompt), first / 1e6, second / 1e6);

            int promptTokens = 3 + 4 + RequestParser.textTokens(prompt);
            assertThat(server.stats().promptTokens()).as("prefilled: once whole, then only the last block")
                    .isBetween(promptTokens + 1L, promptTokens + (long) BLOCK);
            assertThat(metrics).contains("vllm:prefix_cache_queries_total{model_name=\"" + EmulatedFleet.DEMO_MODEL
                    + "\"} " + (double) (2 * promptTokens));
            // A miss prefills about 740 ms of engine time at speed 0.5, a hit about 25 ms: room for a loaded machine.
            assertThat(second).as("TTFT of the hit, ns, against the miss's %d", first).isLessThan(first / 2);
        }
    }

    /** Nanoseconds from sending the request to the first event, which comes with the first token. */
    private static long timeToFirstToken(URI url, String body) throws Exception {
        long sent = System.nanoTime();
        TestHttp.Streamed streamed = TestHttp.stream(url, "/v1/chat/completions", body);
        assertThat(streamed.status()).isEqualTo(200);
        return streamed.lines().getFirst().arrivedNanos() - sent;
    }
}
