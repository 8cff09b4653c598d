package io.infergate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static io.infergate.gateway.GatewayHarness.MODEL;
import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/** Model aliases and ordered fallbacks, over real sockets to emulated endpoints of two pools. */
class ModelRoutingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SMALL = "qwen2.5-1.5b-instruct";

    @Test
    void anAliasIsServedByItsModelAndListedWithTheModels() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1)
                .topLevel("models: [{name: " + MODEL + ", aliases: [gpt-4o]}]\n").start()) {

            HttpResponse<String> response = harness.post("/v1/chat/completions", chatFor("gpt-4o", false));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-infergate-model")).hasValue(MODEL);
            assertThat(JSON.readTree(response.body()).path("model").asText()).isEqualTo(MODEL);
            JsonNode models = JSON.readTree(harness.get(harness.url("/v1/models")).body()).path("data");
            assertThat(models.findValuesAsText("id")).containsExactly("gpt-4o", MODEL);
            HttpResponse<String> unknown = harness.post("/v1/chat/completions", chatFor("gpt-5", false));
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("model_not_found").contains("gpt-5");
        }
    }

    @Test
    void aDownModelFallsBackToTheNextModelAndSaysSo() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1).pool("small", SMALL, 1)
                .topLevel("models: [{name: " + MODEL + ", fallbacks: [" + SMALL + "]}]\n").start()) {
            harness.emulators.getFirst().faults().refuse(true);

            for (int i = 0; i < 3; i++) {
                HttpResponse<String> response = harness.post("/v1/chat/completions", chatFor(MODEL, false));

                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(response.headers().firstValue("x-infergate-model")).hasValue(SMALL);
                assertThat(response.headers().firstValue("x-infergate-endpoint")).hasValue("small0");
                assertThat(JSON.readTree(response.body()).path("model").asText()).isEqualTo(SMALL);
            }
            assertThat(harness.get(harness.adminUrl("/metrics")).body()).containsPattern(
                    "infergate_model_fallbacks_total\\{fallback=\"" + SMALL.replace(".", "\\.") + "\",model=\""
                            + MODEL.replace(".", "\\.") + "\"} 3");

            harness.emulators.getFirst().faults().refuse(false);
            ResilienceTest.awaitTrue(() -> ResilienceTest.healthy(harness, 0), "ep0 re-admitted");
            HttpResponse<String> back = harness.post("/v1/chat/completions", chatFor(MODEL, false));
            assertThat(back.headers().firstValue("x-infergate-model")).hasValue(MODEL);
        }
    }

    @Test
    void aSaturatedModelFallsBackWhileItsEndpointsAreFull() throws Exception {
        // Real-time speed: the held stream of 200 tokens lasts seconds.
        try (GatewayHarness harness = GatewayHarness.builder().emulator(o -> o.speed(1)).pool("small", SMALL, 1)
                .topLevel("models: [{name: " + MODEL + ", fallbacks: [" + SMALL + "]}]\n"
                        + "flow_control: {saturation: {max_requests_per_endpoint: 1}}\n").start()) {
            HttpResponse<InputStream> holding = harness.http.send(HttpRequest.newBuilder(harness.url("/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(chat("a long story", 200, true))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(holding.headers().firstValue("x-infergate-model")).hasValue(MODEL);

            HttpResponse<String> second = harness.post("/v1/chat/completions", chatFor(MODEL, false));

            assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
            assertThat(second.headers().firstValue("x-infergate-model")).hasValue(SMALL);
            try (InputStream in = holding.body()) {
                in.readAllBytes();
            }
            // until a scrape shows the stream gone, the server's own figures still count it
            ResilienceTest.awaitTrue(() -> running(harness, 0) == 0, "ep0 idle by its metrics");
            HttpResponse<String> third = harness.post("/v1/chat/completions", chatFor(MODEL, false));
            assertThat(third.headers().firstValue("x-infergate-model")).hasValue(MODEL);
        }
    }

    @Test
    void withoutFallbacksADownModelIsA503() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1).pool("small", SMALL, 1).start()) {
            harness.emulators.getFirst().faults().refuse(true);

            HttpResponse<String> response = harness.post("/v1/chat/completions", chatFor(MODEL, false));

            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(response.headers().firstValue("retry-after")).isPresent();
            assertThat(response.body()).contains("no_healthy_endpoint");
        }
    }

    private static int running(GatewayHarness harness, int slot) {
        return harness.endpoint(slot).path("load").path("running").asInt(-1);
    }

    private static String chatFor(String model, boolean stream) {
        return chat("hello", 4, stream).replace("\"model\":\"" + MODEL + "\"", "\"model\":\"" + model + "\"");
    }
}
