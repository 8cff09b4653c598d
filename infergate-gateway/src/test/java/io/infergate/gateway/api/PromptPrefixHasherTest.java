package io.infergate.gateway.api;

import io.infergate.core.request.RoutingRequest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromptPrefixHasherTest {

    private static final String SYSTEM = "You are a careful assistant for a bank's fraud team. ".repeat(20);

    @Test
    void aLaterTurnOfAConversationSharesTheHashesOfTheEarlierTurnsFullBlocks() {
        // given two turns of one conversation, the second repeating the first and adding to it
        String first = "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"" + SYSTEM
                + "\"},{\"role\":\"user\",\"content\":\"Is this transfer suspicious?\"}]}";
        String second = "{\"model\":\"m\",\"messages\":[{\"role\":\"system\",\"content\":\"" + SYSTEM
                + "\"},{\"role\":\"user\",\"content\":\"Is this transfer suspicious?\"},"
                + "{\"role\":\"assistant\",\"content\":\"Yes: the amount is unusual.\"},"
                + "{\"role\":\"user\",\"content\":\"Why?\"}]}";

        // when
        long[] firstHashes = hashMessages(first);
        long[] secondHashes = hashMessages(second);

        // then every full block of the first turn is a prefix of the second's
        assertThat(firstHashes).hasSize(messagesLength(first) / PromptPrefixHasher.BLOCK_BYTES);
        assertThat(secondHashes.length).isGreaterThanOrEqualTo(firstHashes.length);
        for (int i = 0; i < firstHashes.length; i++) {
            assertThat(secondHashes[i]).as("block %d", i).isEqualTo(firstHashes[i]);
        }
    }

    @Test
    void aDifferenceInOneBlockChangesThatHashAndEveryOneAfterIt() {
        // given two prompts differing in one byte of the second block
        byte[] a = "x".repeat(1024).getBytes(StandardCharsets.UTF_8);
        byte[] b = a.clone();
        b[300] = 'y';

        // when
        long[] ha = PromptPrefixHasher.hash(a, 0, a.length);
        long[] hb = PromptPrefixHasher.hash(b, 0, b.length);

        // then
        assertThat(ha).hasSize(4);
        assertThat(hb[0]).isEqualTo(ha[0]);
        for (int i = 1; i < 4; i++) {
            assertThat(hb[i]).as("block %d", i).isNotEqualTo(ha[i]);
        }
        assertThat(ha[2]).as("equal blocks at different places hash differently").isNotEqualTo(ha[1]);
    }

    @Test
    void aShortPromptHasNoHashesAndALongOneIsCapped() {
        byte[] shortPrompt = "x".repeat(PromptPrefixHasher.BLOCK_BYTES - 1).getBytes(StandardCharsets.UTF_8);
        byte[] longPrompt = new byte[PromptPrefixHasher.BLOCK_BYTES * (PromptPrefixHasher.MAX_BLOCKS + 10)];

        assertThat(PromptPrefixHasher.hash(shortPrompt, 0, shortPrompt.length)).isSameAs(RoutingRequest.NO_PREFIX);
        assertThat(PromptPrefixHasher.hash(longPrompt, 0, longPrompt.length)).hasSize(PromptPrefixHasher.MAX_BLOCKS);
    }

    @Test
    void onlyTheRangeGivenIsHashed() {
        byte[] body = ("HEADER" + "p".repeat(512) + "TRAILER").getBytes(StandardCharsets.UTF_8);
        byte[] prompt = "p".repeat(512).getBytes(StandardCharsets.UTF_8);

        assertThat(PromptPrefixHasher.hash(body, 6, 6 + 512)).containsExactly(PromptPrefixHasher.hash(prompt, 0, 512));
        assertThatThrownBy(() -> PromptPrefixHasher.hash(body, 6, body.length + 1))
                .hasMessage("prompt range: [6, 526) (expected: within the body's 525 bytes)");
    }

    /** Hashes the value of "messages", found as the gateway's body reader finds it. */
    private static long[] hashMessages(String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        int start = body.indexOf("\"messages\":") + "\"messages\":".length();
        return PromptPrefixHasher.hash(bytes, start, start + messagesLength(body));
    }

    private static int messagesLength(String body) {
        int start = body.indexOf("\"messages\":") + "\"messages\":".length();
        return body.length() - 1 - start; // the value runs to the closing brace of the object
    }
}
