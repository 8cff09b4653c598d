package io.infergate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/** What an operator sees on the admin listener: explained picks, the fleet, Prometheus metrics. */
class AdminApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void picksAreExplainedWithPerScorerScoresAndTheWinner() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(3).start()) {
            List<String> served = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                served.add(harness.post("/v1/chat/completions", chat("q" + i, 2, false))
                        .headers().firstValue("x-infergate-endpoint").orElseThrow());
            }

            HttpResponse<String> response = harness.get(harness.adminUrl("/admin/picks?limit=2"));

            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode picks = JSON.readTree(response.body()).path("picks");
            assertThat(picks).hasSize(2);
            JsonNode newest = picks.get(0);
            assertThat(newest.path("chosenId").asText()).isEqualTo(served.getLast());
            JsonNode candidates = newest.path("explanation").path("candidates");
            assertThat(candidates).hasSize(3);
            for (JsonNode candidate : candidates) {
                assertThat(candidate.path("scores").size()).as("scores of " + candidate).isPositive();
                assertThat(candidate.path("total").asDouble()).isBetween(0.0, 1.0);
            }
        }
    }

    @Test
    void picksLimitMustBeAPositiveInteger() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1).start()) {
            HttpResponse<String> response = harness.get(harness.adminUrl("/admin/picks?limit=lots"));

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).path("error").path("message").asText()).contains("limit");
        }
    }

    @Test
    void metricsExposeRequestsScrapedLoadAndPickDuration() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(2).start()) {
            harness.post("/v1/chat/completions", chat("hello", 3, false));
            Thread.sleep(200); // at least one scrape interval (50 ms) has passed

            String metrics = harness.get(harness.adminUrl("/metrics")).body();

            assertThat(metrics)
                    .containsPattern("infergate_request_duration_seconds_count\\{[^}]*outcome=\"success\"[^}]*} 1")
                    .contains("infergate_request_duration_seconds_bucket")
                    .contains("infergate_endpoint_in_flight{endpoint=\"ep0\"")
                    .containsPattern("infergate_endpoint_requests_waiting\\{endpoint=\"ep0\"[^}]*} 0")
                    .containsPattern("infergate_endpoint_scrape_stale\\{endpoint=\"ep1\"[^}]*} 0")
                    .contains("infergate_scheduler_pick_duration_seconds_count");
        }
    }

    @Test
    void endpointsShowTheFleetAsTheGatewaySeesIt() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(2).start()) {
            JsonNode endpoints = JSON.readTree(harness.get(harness.adminUrl("/admin/endpoints")).body());

            assertThat(endpoints).hasSize(2);
            assertThat(endpoints.get(0).path("endpoint").path("id").asText()).isEqualTo("ep0");
            assertThat(endpoints.get(0).has("in_flight")).isTrue();
        }
    }
}
