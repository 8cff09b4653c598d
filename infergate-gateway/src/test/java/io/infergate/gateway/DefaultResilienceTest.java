package io.infergate.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failures met with the default settings (no {@code retry:} or {@code health:} section), over real sockets
 * to emulated endpoints: what a new user gets.
 */
class DefaultResilienceTest {

    @Test
    void requestsWaitingOnAHungEndpointAreRetriedElsewhereAsSoonAsItsProbesEjectIt() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(2).scheduler("round-robin").start()) {
            harness.emulators.getFirst().faults().hang(true);
            long start = System.nanoTime();

            // round robin sends half of them to the hung ep0, where they wait for a response head
            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                sent.add(harness.http.sendAsync(HttpRequest.newBuilder(harness.url("/v1/chat/completions"))
                        .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(chat("hi " + i, 3, false))).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }

            for (CompletableFuture<HttpResponse<String>> answer : sent) {
                HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(response.headers().firstValue("x-infergate-endpoint")).hasValue("ep1");
            }
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            // two failed probes (1 s apart, 500 ms timeout) eject ep0 within 2.5 s; not the 60 s per-try timeout
            assertThat(tookMillis).as("all answered after %d ms", tookMillis).isLessThan(5_000);
            String metrics = harness.get(harness.adminUrl("/metrics")).body();
            assertThat(metrics).containsPattern("infergate_retries_total\\{reason=\"endpoint_ejected\"} [1-9]");
            assertThat(metrics).containsPattern(
                    "infergate_endpoint_ejections_total\\{cause=\"probe_failures\",endpoint=\"ep0\"} 1");
        }
    }

    @Test
    void streamsWhoseEndpointHangsAfterTheHeadAreRetriedElsewhereWhenItIsEjected() throws Exception {
        // a server that starts every stream (200, text/event-stream) and never sends a token, and whose
        // health path hangs: what a server whose engine died under its HTTP front end looks like
        Vertx vertx = Vertx.vertx();
        HttpServer hung = vertx.createHttpServer().requestHandler(request -> {
            if (request.path().equals("/v1/chat/completions")) {
                request.response().setChunked(true).putHeader("content-type", "text/event-stream").writeHead();
            }
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1).scheduler("round-robin")
                .extraEndpoints("      - {id: hung, url: \"http://127.0.0.1:" + hung.actualPort() + "\"}\n").start()) {
            long start = System.nanoTime();

            List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                sent.add(harness.http.sendAsync(HttpRequest.newBuilder(harness.url("/v1/chat/completions"))
                        .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(chat("hi " + i, 3, true))).build(),
                        HttpResponse.BodyHandlers.ofString()));
            }

            for (CompletableFuture<HttpResponse<String>> answer : sent) {
                HttpResponse<String> response = answer.get(30, TimeUnit.SECONDS);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(response.headers().firstValue("x-infergate-endpoint")).hasValue("ep0");
                assertThat(response.body()).contains("data: [DONE]").doesNotContain("error");
            }
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(tookMillis).as("all answered after %d ms", tookMillis).isLessThan(5_000);
            assertThat(harness.get(harness.adminUrl("/metrics")).body())
                    .containsPattern("infergate_retries_total\\{reason=\"endpoint_ejected\"} [1-9]");
        } finally {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void thePerTryTimeoutAdaptsToWhatThePoolNeeds() throws Exception {
        // a pool of one endpoint is never ejected: only the per-try timeout ends a wait on it
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1).start()) {
            // given 120 answers of the same shape, each within milliseconds (100 are needed to adapt)
            for (int i = 0; i < 120; i++) {
                assertThat(harness.post("/v1/chat/completions", chat("hi " + i, 3, false)).statusCode()).isEqualTo(200);
            }
            // the timeout is recomputed at most once a second, and these may all have come within one
            Thread.sleep(1_100);
            String metrics = harness.get(harness.adminUrl("/metrics")).body();
            assertThat(metrics).contains("infergate_retry_per_try_timeout_seconds{pool=\"test\",shape=\"max_tokens_256\"} 5.0");
            assertThat(metrics).as("no streamed request seen yet")
                    .contains("infergate_retry_per_try_timeout_seconds{pool=\"test\",shape=\"stream\"} 60.0");
            harness.emulators.getFirst().faults().hang(true);
            long start = System.nanoTime();

            HttpResponse<String> response = harness.post("/v1/chat/completions", chat("hi", 3, false));

            // then the attempt is given up at the 5 s floor (4 × a p99 of milliseconds is less), not after 60 s
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(503);
            assertThat(response.body()).contains("after 1 failed attempt(s)");
            assertThat(tookMillis).isBetween(5_000L, 5_000L + 3_000);
            assertThat(harness.get(harness.adminUrl("/metrics")).body())
                    .containsPattern("infergate_proxy_errors_total\\{endpoint=\"ep0\",kind=\"timeout\"} 1");
        }
    }

    @Test
    void aServerErrorIsRetriedOnAnotherEndpointAndConnectFailuresDoNotUseUpTheAttempts() throws Exception {
        // two endpoints answering 500, one refusing connections, one healthy: a request may meet all three
        // failures before the healthy one, which takes 2 charged attempts of the default 3
        try (GatewayHarness harness = GatewayHarness.builder().emulators(4).scheduler("round-robin").start()) {
            harness.emulators.get(0).faults().errorRate(1.0);
            harness.emulators.get(1).faults().refuse(true);
            harness.emulators.get(2).faults().errorRate(1.0);

            for (int i = 0; i < 8; i++) {
                HttpResponse<String> response = harness.post("/v1/chat/completions", chat("hi " + i, 3, false));

                assertThat(response.statusCode()).as("request %s: %s", i, response.body()).isEqualTo(200);
                assertThat(response.headers().firstValue("x-infergate-endpoint")).hasValue("ep3");
            }
            String metrics = harness.get(harness.adminUrl("/metrics")).body();
            assertThat(metrics).containsPattern("infergate_retries_total\\{reason=\"status_5xx\"} [1-9]");
            assertThat(metrics).containsPattern("infergate_retries_total\\{reason=\"connect\"} [1-9]");
            assertThat(metrics).doesNotContain("infergate_retry_give_ups_total{");
        }
    }
}
