package io.infergate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static io.infergate.gateway.GatewayHarness.MODEL;
import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/** Every way a request can go wrong ends in an answer an OpenAI client understands, never a hang. */
class ErrorPathsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static GatewayHarness harness;

    @BeforeAll
    static void start() {
        harness = GatewayHarness.builder().emulators(1).topLevel("limits: {max_body_bytes: 4096}\n").start();
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void malformedJsonIsA400SayingWhere() throws Exception {
        HttpResponse<String> response = harness.post("/v1/chat/completions", "{\"model\": \"x\", \"messages\": [");

        assertError(response, 400, "invalid_request_error");
        assertThat(message(response)).contains("malformed JSON").contains("line 1");
    }

    @Test
    void missingModelIsA400() throws Exception {
        HttpResponse<String> response = harness.post("/v1/chat/completions", "{\"messages\": []}");

        assertError(response, 400, "invalid_request_error");
        assertThat(message(response)).contains("'model'");
    }

    @Test
    void wronglyTypedFieldIsA400NamingTheField() throws Exception {
        HttpResponse<String> response = harness.post("/v1/chat/completions",
                "{\"model\": \"" + MODEL + "\", \"stream\": \"yes\"}");

        assertError(response, 400, "invalid_request_error");
        assertThat(message(response)).contains("'stream'").contains("boolean");
    }

    @Test
    void unknownModelIsA404ModelNotFound() throws Exception {
        HttpResponse<String> response = harness.post("/v1/chat/completions",
                "{\"model\": \"gpt-9\", \"messages\": []}");

        assertError(response, 404, "invalid_request_error");
        assertThat(JSON.readTree(response.body()).path("error").path("code").asText()).isEqualTo("model_not_found");
        assertThat(message(response)).contains("gpt-9");
    }

    @Test
    void bodyOverTheLimitIsA413() throws Exception {
        String big = chat("x".repeat(5000), 4, false);

        HttpResponse<String> response = harness.post("/v1/chat/completions", big);

        assertError(response, 413, "invalid_request_error");
        assertThat(message(response)).contains("4096");
    }

    @Test
    void chunkedBodyOverTheLimitIsA413Too() throws Exception {
        byte[] big = chat("x".repeat(5000), 4, false).getBytes();
        HttpRequest request = HttpRequest.newBuilder(harness.url("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(10))
                // A publisher of unknown length makes the JDK client send the body chunked.
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .build();

        HttpResponse<String> response = harness.http.send(request, HttpResponse.BodyHandlers.ofString());

        assertError(response, 413, "invalid_request_error");
    }

    @Test
    void unknownPathIsA404InOpenAiShape() throws Exception {
        HttpResponse<String> response = harness.get(harness.url("/v1/nothing-here"));

        assertError(response, 404, "invalid_request_error");
    }

    @Test
    void noReachableEndpointIsA503WithRetryAfter() throws Exception {
        try (GatewayHarness dead = GatewayHarness.builder()
                .extraEndpoints("      - {id: dead0, url: \"http://127.0.0.1:" + closedPort() + "\"}\n"
                        + "      - {id: dead1, url: \"http://127.0.0.1:" + closedPort() + "\"}\n")
                .start()) {
            HttpResponse<String> first = dead.post("/v1/chat/completions", chat("hi", 4, false));
            HttpResponse<String> second = dead.post("/v1/chat/completions", chat("hi", 4, false));

            assertError(first, 503, "service_unavailable");
            assertThat(first.headers().firstValue("retry-after")).hasValue("1");
            assertError(second, 503, "service_unavailable");
            assertThat(message(second)).contains(MODEL);
        }
    }

    @Test
    void refusedConnectionIsRetriedOnTheNextEndpoint() throws Exception {
        try (GatewayHarness mixed = GatewayHarness.builder().emulators(1)
                .extraEndpoints("      - {id: dead, url: \"http://127.0.0.1:" + closedPort() + "\"}\n")
                .start()) {
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> response = mixed.post("/v1/chat/completions", chat("hi " + i, 3, false));

                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("x-infergate-endpoint")).hasValue("ep0");
            }
        }
    }

    @Test
    void backendDyingMidStreamEndsTheStreamWithAnErrorEvent() throws Exception {
        try (GatewayHarness dying = GatewayHarness.builder().emulators(1).start()) {
            dying.emulators.getFirst().faults().dieMidStreamAfterTokens(3);

            HttpResponse<String> response = dying.post("/v1/chat/completions", chat("tell me a story", 20, true));

            assertThat(response.statusCode()).isEqualTo(200);
            List<String> events = OpenAiApiTest.dataEvents(response.body());
            assertThat(events).doesNotContain("[DONE]");
            JsonNode last = JSON.readTree(events.getLast());
            assertThat(last.path("error").path("type").asText()).isEqualTo("upstream_error");
            assertThat(last.path("error").path("message").asText()).contains("ep0");
            String metrics = dying.get(dying.adminUrl("/metrics")).body();
            assertThat(metrics).containsPattern(
                    "infergate_request_duration_seconds_count\\{[^}]*outcome=\"failed\"[^}]*} 1");
            assertThat(metrics).containsPattern("infergate_proxy_errors_total\\{[^}]*kind=\"stream_cut\"");
        }
    }

    static void assertError(HttpResponse<String> response, int status, String type) throws IOException {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        JsonNode error = JSON.readTree(response.body()).path("error");
        assertThat(error.path("type").asText()).isEqualTo(type);
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.path("code").asText()).isNotBlank();
    }

    static String message(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body()).path("error").path("message").asText();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
