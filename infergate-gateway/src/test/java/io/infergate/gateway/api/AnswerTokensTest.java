package io.infergate.gateway.api;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

class AnswerTokensTest {

    private static AnswerTokens fed(String... chunks) {
        AnswerTokens tokens = new AnswerTokens();
        for (String chunk : chunks) {
            tokens.feed(Buffer.buffer(chunk));
        }
        return tokens;
    }

    @Test
    void aStreamsEventsAreCountedAcrossChunksWithoutTheDoneEvent() {
        AnswerTokens tokens = fed("data: {\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}\n\nda",
                "ta: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata:{\"choices\":[]}\n\n", "data: [DONE]\n\n");

        assertThat(tokens.events()).isEqualTo(3);
        assertThat(tokens.outputTokens()).isEqualTo(3);
        assertThat(tokens.totalTokens()).isEmpty();
    }

    @Test
    void theUsageOfAWholeAnswerGivesItsOutputAndTotalTokensEvenSplitAcrossChunks() {
        AnswerTokens tokens = fed("{\"choices\":[{\"message\":{\"content\":\"say \\\"completion_tokens\\\": 9\"}}],",
                "\"usage\":{\"prompt_tokens\":12,\"completion_tok", "ens\" : 3", "4,\"total_tokens\":46}}");

        assertThat(tokens.events()).isZero();
        assertThat(tokens.outputTokens()).isEqualTo(34);
        assertThat(tokens.totalTokens()).isEqualTo(OptionalLong.of(46));
    }

    @Test
    void withoutATotalThePromptAndCompletionTokensAddUp() {
        assertThat(fed("{\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":7}}").totalTokens())
                .isEqualTo(OptionalLong.of(12));
    }

    @Test
    void anAnswerWithNeitherEventsNorUsageHasNoCount() {
        AnswerTokens tokens = fed("{\"error\":{\"message\":\"overloaded\"}}");

        assertThat(tokens.outputTokens()).isEqualTo(-1);
        assertThat(tokens.totalTokens()).isEmpty();
    }
}
