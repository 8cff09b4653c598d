package io.infergate.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/** Retries, ejection, re-admission and draining, over real sockets to emulated endpoints. */
class ResilienceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void serverErrorsAreRetriedElsewhereAndTheFailingEndpointIsEjected() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(2).scheduler("round-robin").start()) {
            harness.emulators.getFirst().faults().errorRate(1.0);

            for (int i = 0; i < 12; i++) {
                HttpResponse<String> response = harness.post("/v1/chat/completions", chat("hi " + i, 3, false));

                assertThat(response.statusCode()).as("request %s: %s", i, response.body()).isEqualTo(200);
                assertThat(response.headers().firstValue("x-infergate-endpoint")).hasValue("ep1");
            }
            String metrics = harness.get(harness.adminUrl("/metrics")).body();
            assertThat(metrics).containsPattern("infergate_retries_total\\{reason=\"status_5xx\"} [1-9]");
            assertThat(metrics).containsPattern(
                    "infergate_endpoint_ejections_total\\{cause=\"consecutive_failures\",endpoint=\"ep0\"} 1");
            assertThat(healthy(harness, 0)).isFalse();
        }
    }

    @Test
    void aRetryGoesToAFullEndpointRatherThanFail() throws Exception {
        // ep1 runs at real speed so that the held stream keeps it full (one request per endpoint)
        try (GatewayHarness harness = GatewayHarness.builder().emulator(o -> o).emulator(o -> o.speed(1))
                .topLevel("flow_control: {saturation: {max_requests_per_endpoint: 1}}\n").start()) {
            harness.emulators.getFirst().faults().errorRate(1.0);
            HttpResponse<InputStream> holding = harness.http.send(HttpRequest.newBuilder(harness.url("/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(chat("a long story", 200, true))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertThat(holding.headers().firstValue("x-infergate-endpoint")).hasValue("ep1");

            HttpResponse<String> response = harness.post("/v1/chat/completions", chat("hi", 3, false));

            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-infergate-endpoint")).hasValue("ep1");
            holding.body().close();
        }
    }

    @Test
    void anExhaustedRetryBudgetRelaysTheServerError() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(2)
                .topLevel("retry: {budget_ratio: 0, budget_min_per_second: 0}\n").start()) {
            harness.emulators.forEach(emulator -> emulator.faults().errorRate(1.0));

            HttpResponse<String> response = harness.post("/v1/chat/completions", chat("hi", 3, false));

            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.body()).contains("injected fault");
            String metrics = harness.get(harness.adminUrl("/metrics")).body();
            assertThat(metrics).containsPattern("infergate_retry_give_ups_total\\{reason=\"budget-exhausted\"} 1");
            assertThat(metrics).doesNotContain("infergate_retries_total{");
        }
    }

    @Test
    void anAttemptWithoutAResponseHeadWithinThePerTryTimeoutIsRetriedElsewhere() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(2).scheduler("round-robin")
                .topLevel("retry: {per_try_timeout_ms: 300}\n").start()) {
            harness.emulators.getFirst().faults().hang(true);

            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = harness.post("/v1/chat/completions", chat("hi " + i, 3, false));

                assertThat(response.statusCode()).as("request %s: %s", i, response.body()).isEqualTo(200);
                assertThat(response.headers().firstValue("x-infergate-endpoint")).hasValue("ep1");
            }
            assertThat(harness.get(harness.adminUrl("/metrics")).body())
                    .containsPattern("infergate_retries_total\\{reason=\"timeout\"} [1-9]");
        }
    }

    @Test
    void aLastAttemptWithoutAResponseHeadIsAnsweredAsATimeoutNotBeforeThePerTryTimeout() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1)
                .topLevel("retry: {max_attempts: 1, per_try_timeout_ms: 300}\n").start()) {
            harness.emulators.getFirst().faults().hang(true);
            long start = System.nanoTime();

            HttpResponse<String> response = harness.post("/v1/chat/completions", chat("hi", 3, false));

            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(504);
            assertThat(response.body()).contains("upstream_timeout", "no response head within 300 ms");
            assertThat(tookMillis).isBetween(300L, 300L + 3000);
        }
    }

    @Test
    void aDeadEndpointIsEjectedByProbesAndReadmittedWhenItReturns() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(2)
                .topLevel("health: {probe_interval_ms: 50, probe_timeout_ms: 200}\n").start()) {
            harness.emulators.get(1).faults().refuse(true);

            awaitTrue(() -> !healthy(harness, 1), "ep1 ejected");
            for (int i = 0; i < 6; i++) {
                HttpResponse<String> response = harness.post("/v1/chat/completions", chat("hi " + i, 3, false));
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("x-infergate-endpoint")).hasValue("ep0");
            }
            assertThat(harness.get(harness.adminUrl("/metrics")).body()).containsPattern(
                    "infergate_endpoint_ejections_total\\{cause=\"probe_failures\",endpoint=\"ep1\"} 1");

            harness.emulators.get(1).faults().refuse(false);

            awaitTrue(() -> healthy(harness, 1), "ep1 re-admitted");
        }
    }

    @Test
    void aDrainedEndpointGetsNoNewRequestsWhileItsStreamFinishes() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(2).start()) {
            HttpResponse<InputStream> stream = harness.http.send(HttpRequest.newBuilder(harness.url("/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(chat("a long story", 30, true))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            String drained = stream.headers().firstValue("x-infergate-endpoint").orElseThrow();
            String other = drained.equals("ep0") ? "ep1" : "ep0";

            HttpResponse<String> drain = harness.http.send(HttpRequest.newBuilder(
                    harness.adminUrl("/admin/endpoints/" + drained + "/drain"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(drain.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(drain.body()).path("lifecycle").asText()).isEqualTo("draining");
            for (int i = 0; i < 4; i++) {
                HttpResponse<String> response = harness.post("/v1/chat/completions", chat("hi " + i, 3, false));
                assertThat(response.headers().firstValue("x-infergate-endpoint")).hasValue(other);
            }
            String body;
            try (InputStream in = stream.body()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertThat(OpenAiApiTest.dataEvents(body)).endsWith("[DONE]");

            HttpResponse<String> undrain = harness.http.send(HttpRequest.newBuilder(
                    harness.adminUrl("/admin/endpoints/" + drained + "/undrain"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(undrain.body()).path("lifecycle").asText()).isEqualTo("ready");
            HttpResponse<String> unknown = harness.http.send(HttpRequest.newBuilder(
                    harness.adminUrl("/admin/endpoints/nope/drain"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(unknown.statusCode()).isEqualTo(404);
            assertThat(unknown.body()).contains("nope");
        }
    }

    static boolean healthy(GatewayHarness harness, int slot) {
        return harness.endpoint(slot).path("load").path("healthy").asBoolean();
    }

    static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        awaitTrue(condition, () -> what);
    }

    /** Waits up to 10 s for {@code condition}; {@code what} describes it when it fails, read then. */
    static void awaitTrue(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 10 s: " + what.get());
            }
            Thread.sleep(20);
        }
    }
}
