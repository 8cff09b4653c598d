package io.infergate.gateway;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.Completion;
import com.openai.models.completions.CompletionCreateParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.infergate.gateway.GatewayHarness.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

/** The official OpenAI Java SDK, a client nobody here wrote, pointed at the gateway. */
class OpenAiSdkCompatibilityTest {

    private static GatewayHarness harness;
    private static OpenAIClient client;

    @BeforeAll
    static void start() {
        harness = GatewayHarness.builder().emulators(2).start();
        client = OpenAIOkHttpClient.builder()
                .baseUrl("http://127.0.0.1:" + harness.gateway.port() + "/v1")
                .apiKey("unused")
                .build();
    }

    @AfterAll
    static void stop() {
        client.close();
        harness.close();
    }

    @Test
    void chatCompletion() {
        ChatCompletion completion = client.chat().completions().create(ChatCompletionCreateParams.builder()
                .model(MODEL).addUserMessage("Say hello").maxCompletionTokens(6).build());

        assertThat(completion.choices()).hasSize(1);
        assertThat(completion.choices().getFirst().message().content()).hasValueSatisfying(
                text -> assertThat(text).isNotBlank());
        assertThat(completion.usage()).hasValueSatisfying(usage -> assertThat(usage.completionTokens()).isEqualTo(6));
    }

    @Test
    void streamedChatCompletion() {
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder()
                .model(MODEL).addUserMessage("Stream please").maxCompletionTokens(7).build();
        List<String> pieces = new ArrayList<>();

        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(choice ->
                    choice.delta().content().filter(s -> !s.isEmpty()).ifPresent(pieces::add)));
        }

        assertThat(pieces).hasSize(7);
    }

    @Test
    void completion() {
        Completion completion = client.completions().create(CompletionCreateParams.builder()
                .model(MODEL).prompt("The capital of France is").maxTokens(4).build());

        assertThat(completion.choices().getFirst().text()).isNotBlank();
        assertThat(completion.usage()).hasValueSatisfying(usage -> assertThat(usage.completionTokens()).isEqualTo(4));
    }

    @Test
    void streamedCompletion() {
        CompletionCreateParams params = CompletionCreateParams.builder()
                .model(MODEL).prompt("Count:").maxTokens(5).build();
        StringBuilder text = new StringBuilder();
        int[] chunks = {0};

        try (StreamResponse<Completion> stream = client.completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                chunks[0]++;
                chunk.choices().forEach(choice -> text.append(choice.text()));
            });
        }

        assertThat(chunks[0]).isGreaterThanOrEqualTo(5);
        assertThat(text.toString()).isNotBlank();
    }
}
