package io.infergate.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

import static io.infergate.emulator.TestHttp.chat;
import static io.infergate.emulator.TestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class OpenAiApiTest {

    private static final String MODEL = "llama-3.1-8b-instruct";
    private static EmulatorServer server;
    private static URI url;

    @BeforeAll
    static void start() {
        server = EmulatorServer.start(EmulatorOptions.builder()
                .profile("instant").models(List.of(MODEL, "other-model")).defaultMaxTokens(8).seed(42).build());
        url = server.url();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void aChatCompletionComesBackWholeWithUsage() throws Exception {
        HttpResponse<String> response = TestHttp.post(url, "/v1/chat/completions",
                chat(MODEL, "Hello world", false, "\"max_tokens\":5"));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode body = json(response.body());
        assertThat(body.get("id").asText()).startsWith("chatcmpl-");
        assertThat(body.get("object").asText()).isEqualTo("chat.completion");
        assertThat(body.get("model").asText()).isEqualTo(MODEL);
        assertThat(body.get("created").asLong()).isPositive();
        JsonNode choice = body.get("choices").get(0);
        assertThat(choice.get("message").get("role").asText()).isEqualTo("assistant");
        assertThat(choice.get("message").get("content").asText()).isNotBlank();
        assertThat(choice.get("finish_reason").asText()).isEqualTo("length");
        assertThat(body.get("usage").get("prompt_tokens").asInt()).isEqualTo(10); // 3 + 4 + ceil(11 bytes / 4)
        assertThat(body.get("usage").get("completion_tokens").asInt()).isEqualTo(5);
        assertThat(body.get("usage").get("total_tokens").asInt()).isEqualTo(15);
    }

    @Test
    void aStreamedChatCarriesTheRoleFirstTheFinishReasonLastThenDone() throws Exception {
        TestHttp.Streamed streamed = TestHttp.stream(url, "/v1/chat/completions",
                chat(MODEL, "Hello world", true, "\"max_completion_tokens\":4"));

        assertThat(streamed.status()).isEqualTo(200);
        assertThat(streamed.done()).isTrue();
        assertThat(streamed.lines().getLast().text()).isEqualTo("data: [DONE]");
        List<JsonNode> events = streamed.events();
        assertThat(events).hasSize(5).allSatisfy(e -> {
            assertThat(e.get("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(e.get("id").asText()).isEqualTo(events.getFirst().get("id").asText());
            assertThat(e.has("usage")).isFalse();
        });
        assertThat(events.getFirst().at("/choices/0/delta/role").asText()).isEqualTo("assistant");
        assertThat(events.getFirst().at("/choices/0/delta/content").asText()).isEmpty();
        assertThat(events.subList(1, 5)).allSatisfy(e -> assertThat(e.at("/choices/0/delta/content").asText()).isNotEmpty());
        assertThat(events.subList(0, 4)).allSatisfy(e -> assertThat(e.at("/choices/0/finish_reason").isNull()).isTrue());
        assertThat(events.getLast().at("/choices/0/finish_reason").asText()).isEqualTo("length");
    }

    @Test
    void includeUsageEndsTheStreamWithAUsageChunkCountingTheTokensStreamed() throws Exception {
        TestHttp.Streamed streamed = TestHttp.stream(url, "/v1/chat/completions",
                chat(MODEL, "Count my tokens", true, "\"stream_options\":{\"include_usage\":true}"));

        List<JsonNode> events = streamed.events();
        JsonNode usageChunk = events.getLast();
        assertThat(usageChunk.get("choices")).isEmpty();
        List<JsonNode> tokenChunks = events.subList(1, events.size() - 1);
        assertThat(usageChunk.at("/usage/completion_tokens").asInt()).isEqualTo(tokenChunks.size()).isEqualTo(8);
        assertThat(usageChunk.at("/usage/total_tokens").asInt())
                .isEqualTo(usageChunk.at("/usage/prompt_tokens").asInt() + 8);
        assertThat(events.subList(0, events.size() - 1)).allSatisfy(e -> assertThat(e.get("usage").isNull()).isTrue());
        assertThat(tokenChunks.getLast().at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    }

    @Test
    void theStreamedTextIsTheTextAnsweredWhole() throws Exception {
        String whole = json(TestHttp.post(url, "/v1/chat/completions", chat(MODEL, "Same prompt", false, "")).body())
                .at("/choices/0/message/content").asText();
        StringBuilder streamed = new StringBuilder();
        TestHttp.stream(url, "/v1/chat/completions", chat(MODEL, "Same prompt", true, "")).events()
                .forEach(e -> streamed.append(e.at("/choices/0/delta/content").asText()));

        assertThat(streamed.toString()).isEqualTo(whole);
    }

    @Test
    void completionsAnswerAsTextCompletions() throws Exception {
        JsonNode whole = json(TestHttp.post(url, "/v1/completions",
                "{\"model\":\"" + MODEL + "\",\"prompt\":\"Once upon a time\",\"max_tokens\":3}").body());
        TestHttp.Streamed streamed = TestHttp.stream(url, "/v1/completions",
                "{\"model\":\"" + MODEL + "\",\"prompt\":[1,2,3,4,5],\"max_tokens\":3,\"stream\":true,"
                        + "\"stream_options\":{\"include_usage\":true}}");

        assertThat(whole.get("object").asText()).isEqualTo("text_completion");
        assertThat(whole.get("id").asText()).startsWith("cmpl-");
        assertThat(whole.at("/choices/0/text").asText()).isNotBlank();
        assertThat(whole.at("/usage/prompt_tokens").asInt()).isEqualTo(4); // 16 bytes
        assertThat(whole.at("/usage/completion_tokens").asInt()).isEqualTo(3);
        List<JsonNode> events = streamed.events();
        assertThat(events).hasSize(4).allSatisfy(e -> assertThat(e.get("object").asText()).isEqualTo("text_completion"));
        assertThat(events.get(0).at("/choices/0/text").asText()).isNotEmpty();
        assertThat(events.get(2).at("/choices/0/finish_reason").asText()).isEqualTo("length");
        assertThat(events.get(3).at("/usage/prompt_tokens").asInt()).isEqualTo(5);
        assertThat(streamed.done()).isTrue();
    }

    @Test
    void theSameRequestGetsTheSameTextAndAnotherPromptAnother() throws Exception {
        String first = completionText("The same prompt");
        String again = completionText("The same prompt");
        String other = completionText("Another prompt");

        assertThat(again).isEqualTo(first);
        assertThat(other).isNotEqualTo(first);
    }

    @Test
    void theSeedChangesTheText() throws Exception {
        try (EmulatorServer seeded = EmulatorServer.start(EmulatorOptions.builder()
                .profile("instant").models(List.of(MODEL)).defaultMaxTokens(8).seed(7).build())) {
            String withSeed7 = json(TestHttp.post(seeded.url(), "/v1/completions",
                    "{\"model\":\"" + MODEL + "\",\"prompt\":\"The same prompt\"}").body()).at("/choices/0/text").asText();

            assertThat(withSeed7).isNotEqualTo(completionText("The same prompt"));
        }
    }

    @Test
    void embeddingsAreDeterministicUnitVectors() throws Exception {
        String request = "{\"model\":\"" + MODEL + "\",\"input\":[\"first text\",\"second text\"],\"dimensions\":64}";
        JsonNode body = json(TestHttp.post(url, "/v1/embeddings", request).body());
        JsonNode again = json(TestHttp.post(url, "/v1/embeddings", request).body());

        assertThat(body.get("object").asText()).isEqualTo("list");
        assertThat(body.get("data")).hasSize(2);
        JsonNode vector = body.at("/data/0/embedding");
        assertThat(vector).hasSize(64);
        double norm = 0;
        for (JsonNode v : vector) {
            norm += v.asDouble() * v.asDouble();
        }
        assertThat(norm).isCloseTo(1.0, within(1e-4));
        assertThat(body.at("/data/1/embedding")).isNotEqualTo(vector);
        assertThat(again).isEqualTo(body);
        assertThat(body.at("/usage/prompt_tokens").asInt()).isEqualTo(6); // 10 and 11 bytes
    }

    @Test
    void base64EmbeddingsHoldTheSameFloats() throws Exception {
        JsonNode floats = json(TestHttp.post(url, "/v1/embeddings",
                "{\"model\":\"" + MODEL + "\",\"input\":\"text\",\"dimensions\":8}").body());
        JsonNode base64 = json(TestHttp.post(url, "/v1/embeddings",
                "{\"model\":\"" + MODEL + "\",\"input\":\"text\",\"dimensions\":8,\"encoding_format\":\"base64\"}").body());

        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64.at("/data/0/embedding").asText()))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 8; i++) {
            assertThat(bytes.getFloat()).isEqualTo(floats.at("/data/0/embedding/" + i).floatValue());
        }
    }

    @Test
    void modelsListsTheServedModels() throws Exception {
        JsonNode body = json(TestHttp.get(url, "/v1/models").body());

        assertThat(body.get("object").asText()).isEqualTo("list");
        assertThat(body.get("data")).extracting(m -> m.get("id").asText()).containsExactly(MODEL, "other-model");
        assertThat(body.at("/data/0/owned_by").asText()).isEqualTo("vllm");
        assertThat(body.at("/data/0/max_model_len").asInt()).isEqualTo(131_072);
    }

    @Test
    void healthAnswers200WithAnEmptyBody() throws Exception {
        HttpResponse<String> response = TestHttp.get(url, "/health");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
    }

    @Test
    void malformedJsonIsA400InOpenAiShape() throws Exception {
        HttpResponse<String> response = TestHttp.post(url, "/v1/chat/completions", "{\"model\": ");

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = json(response.body()).get("error");
        assertThat(error.get("type").asText()).isEqualTo("BadRequestError");
        assertThat(error.get("code").asInt()).isEqualTo(400);
        assertThat(error.get("message").asText()).startsWith("malformed JSON in the request body");
    }

    @Test
    void anUnknownModelIsA404() throws Exception {
        HttpResponse<String> response = TestHttp.post(url, "/v1/chat/completions", chat("gpt-9", "hi", false, ""));

        assertThat(response.statusCode()).isEqualTo(404);
        JsonNode error = json(response.body()).get("error");
        assertThat(error.get("message").asText()).isEqualTo("The model `gpt-9` does not exist.");
        assertThat(error.get("type").asText()).isEqualTo("NotFoundError");
        assertThat(error.get("code").asInt()).isEqualTo(404);
    }

    @Test
    void invalidFieldsAre400sThatNameTheField() throws Exception {
        assertThat(errorMessage("/v1/chat/completions", "{\"messages\":\"hi\"}"))
                .isEqualTo("messages: \"hi\" (expected: a non-empty array of messages)");
        assertThat(errorMessage("/v1/chat/completions", chat(MODEL, "hi", false, "\"max_tokens\":0")))
                .isEqualTo("max_tokens: 0 (expected: an integer >= 1)");
        assertThat(errorMessage("/v1/completions", "{\"prompt\":\"hi\",\"n\":2}"))
                .isEqualTo("n: 2 (expected: 1, the emulator returns one choice)");
        assertThat(errorMessage("/v1/completions", "{\"prompt\":\"hi\",\"max_tokens\":131072}"))
                .isEqualTo("This model's maximum context length is 131072 tokens. However, you requested 131073 tokens "
                        + "(1 in the messages, 131072 in the completion). Please reduce the length of the messages or completion.");
    }

    @Test
    void unknownPathsAre404AndWrongMethods405() throws Exception {
        assertThat(TestHttp.get(url, "/v2/models").statusCode()).isEqualTo(404);
        HttpResponse<String> wrongMethod = TestHttp.get(url, "/v1/chat/completions");
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("allow")).hasValue("POST");
    }

    @Test
    void aServerStillLoadingAnswers503UntilItsStartupDelayHasPassed() throws Exception {
        long started = System.nanoTime();
        try (EmulatorServer loading = EmulatorServer.start(EmulatorOptions.builder()
                .profile("instant").startupDelay(java.time.Duration.ofMillis(300)).build())) {
            assertThat(TestHttp.get(loading.url(), "/health").statusCode()).isEqualTo(503);
            assertThat(TestHttp.post(loading.url(), "/v1/completions", "{\"prompt\":\"hi\"}").statusCode()).isEqualTo(503);

            while (TestHttp.get(loading.url(), "/health").statusCode() == 503) {
                assertThat(System.nanoTime() - started).as("still loading after 3 s").isLessThan(3_000_000_000L);
                Thread.sleep(10);
            }

            assertThat(System.nanoTime() - started).isGreaterThanOrEqualTo(300_000_000L);
            assertThat(TestHttp.post(loading.url(), "/v1/completions", "{\"prompt\":\"hi\"}").statusCode()).isEqualTo(200);
        }
    }

    private static String completionText(String prompt) throws Exception {
        return json(TestHttp.post(url, "/v1/completions", "{\"model\":\"" + MODEL + "\",\"prompt\":\"" + prompt + "\"}")
                .body()).at("/choices/0/text").asText();
    }

    private static String errorMessage(String path, String body) throws Exception {
        HttpResponse<String> response = TestHttp.post(url, path, body);
        assertThat(response.statusCode()).isEqualTo(400);
        return json(response.body()).at("/error/message").asText();
    }
}
