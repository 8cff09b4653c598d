package io.infergate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.Arrays;
import java.util.List;

import static io.infergate.gateway.GatewayHarness.MODEL;
import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAI-compatible surface, through the gateway, over real sockets. */
class OpenAiApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static GatewayHarness harness;

    @BeforeAll
    static void start() {
        harness = GatewayHarness.builder().emulators(2).start();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void listsTheModelsTheFleetServes() throws Exception {
        HttpResponse<String> response = harness.get(harness.url("/v1/models"));

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("object").asText()).isEqualTo("list");
        assertThat(body.path("data").findValuesAsText("id")).containsExactly(MODEL);
    }

    @Test
    void nonStreamedChatReturnsCompletionWithUsageAndRoutingHeaders() throws Exception {
        HttpResponse<String> response = harness.post("/v1/chat/completions", chat("Hello there", 12, false));

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("x-infergate-endpoint")).hasValueSatisfying(
                id -> assertThat(id).isIn("ep0", "ep1"));
        assertThat(response.headers().firstValue("x-infergate-request-id")).isPresent();
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("choices").get(0).path("message").path("content").asText()).isNotBlank();
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(12);
        assertThat(body.path("usage").path("prompt_tokens").asInt()).isPositive();
    }

    @Test
    void streamedChatRelaysServerSentEventsEndingInDone() throws Exception {
        String request = "{\"model\":\"" + MODEL + "\",\"max_tokens\":8,\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Count to eight\"}]}";

        HttpResponse<String> response = harness.post("/v1/chat/completions", request);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("text/event-stream"));
        List<String> events = dataEvents(response.body());
        assertThat(events.getLast()).isEqualTo("[DONE]");
        List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(OpenAiApiTest::parse).toList();
        assertThat(chunks).allSatisfy(c -> assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk"));
        long contentChunks = chunks.stream()
                .filter(c -> c.path("choices").size() > 0)
                .filter(c -> !c.path("choices").get(0).path("delta").path("content").asText().isEmpty())
                .count();
        JsonNode usage = chunks.getLast().path("usage");
        assertThat(usage.path("completion_tokens").asInt()).isEqualTo(8).isEqualTo((int) contentChunks);
    }

    @Test
    void completionsWorkStreamedAndNot() throws Exception {
        String plain = "{\"model\":\"" + MODEL + "\",\"prompt\":\"Once upon a time\",\"max_tokens\":5}";
        String streamed = "{\"model\":\"" + MODEL + "\",\"prompt\":\"Once upon a time\",\"max_tokens\":5,\"stream\":true}";

        HttpResponse<String> whole = harness.post("/v1/completions", plain);
        HttpResponse<String> stream = harness.post("/v1/completions", streamed);

        assertThat(whole.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(whole.body());
        assertThat(body.path("object").asText()).isEqualTo("text_completion");
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
        assertThat(stream.statusCode()).isEqualTo(200);
        assertThat(dataEvents(stream.body())).last().isEqualTo("[DONE]");
    }

    @Test
    void embeddingsAreProxied() throws Exception {
        HttpResponse<String> response = harness.post("/v1/embeddings",
                "{\"model\":\"" + MODEL + "\",\"input\":[\"a\",\"b\"]}");

        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("data")).hasSize(2);
        assertThat(body.path("data").get(0).path("embedding").size()).isPositive();
    }

    static List<String> dataEvents(String sse) {
        return Arrays.stream(sse.split("\n"))
                .filter(line -> line.startsWith("data: "))
                .map(line -> line.substring("data: ".length()))
                .toList();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
