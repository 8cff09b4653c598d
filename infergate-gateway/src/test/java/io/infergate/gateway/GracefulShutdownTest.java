package io.infergate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Gateway#shutdown()} over real sockets: the readiness check fails at once, requests keep being
 * served through the grace period (each closing its connection, over HTTP/1.1 and HTTP/2), streams in
 * flight finish within the
 * drain timeout, a stream longer than it ends with an SSE error event, and a request still queued when the
 * listeners close is answered 503 with {@code Retry-After}.
 *
 * <p>The emulated endpoint produces a token every 100 ms, so a stream of N tokens lasts N/10 s.
 */
class GracefulShutdownTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aStreamShorterThanTheDrainTimeoutCompletesWhileHealthAnswersDraining() throws Exception {
        try (GatewayHarness harness = slowEndpoint("shutdown: {grace_ms: 500, drain_timeout_ms: 8000}\n")) {
            Iterator<String> stream = stream(harness, 30);
            List<String> events = new ArrayList<>(List.of(nextEvent(stream)));

            long signalled = System.nanoTime();
            CompletableFuture<Void> shutdown = shutdownInBackground(harness);
            HttpResponse<String> health = harness.get(harness.adminUrl("/health"));
            HttpResponse<String> dataPortHealth = harness.get(harness.url("/health"));
            while (stream.hasNext()) {
                String line = stream.next();
                if (line.startsWith("data: ")) {
                    events.add(line);
                }
            }
            long streamEndedMillis = (System.nanoTime() - signalled) / 1_000_000;
            shutdown.join();
            long shutdownMillis = (System.nanoTime() - signalled) / 1_000_000;

            assertThat(health.statusCode()).isEqualTo(503);
            assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("draining");
            assertThat(dataPortHealth.statusCode()).isEqualTo(503);
            assertThat(dataPortHealth.body()).isEqualTo(health.body());
            assertThat(events.getLast()).isEqualTo("data: [DONE]");
            assertThat(events).noneMatch(event -> event.contains("\"error\""));
            // 30 tokens at 100 ms: the stream outlived the grace, and the gateway waited for it, not for the drain timeout.
            assertThat(streamEndedMillis).as("stream ended after the signal, ms").isGreaterThan(1000L);
            assertThat(shutdownMillis).as("shutdown, ms").isBetween(streamEndedMillis, 7000L);
        }
    }

    @Test
    void aStreamLongerThanTheDrainTimeoutEndsWithAnErrorEvent() throws Exception {
        try (GatewayHarness harness = slowEndpoint("shutdown: {grace_ms: 100, drain_timeout_ms: 800}\n")) {
            Iterator<String> stream = stream(harness, 200);
            nextEvent(stream);

            long signalled = System.nanoTime();
            CompletableFuture<Void> shutdown = shutdownInBackground(harness);
            List<String> events = new ArrayList<>();
            while (stream.hasNext()) {
                String line = stream.next();
                if (line.startsWith("data: ")) {
                    events.add(line);
                }
            }
            long endedMillis = (System.nanoTime() - signalled) / 1_000_000;
            shutdown.join();

            assertThat(events).doesNotContain("data: [DONE]");
            JsonNode error = JSON.readTree(events.getLast().substring("data: ".length())).get("error");
            assertThat(error.get("type").asText()).isEqualTo("service_unavailable");
            assertThat(error.get("code").asText()).isEqualTo("gateway_shutting_down");
            assertThat(error.get("message").asText()).contains("drain timeout of 800 ms");
            assertThat(endedMillis).as("stream ended after the signal, ms").isBetween(900L, 3000L);
        }
    }

    @Test
    void requestsInTheGraceAreServedAndCloseTheirConnection() throws Exception {
        try (GatewayHarness harness = slowEndpoint("shutdown: {grace_ms: 1500, drain_timeout_ms: 1000}\n")) {
            CompletableFuture<Void> shutdown = shutdownInBackground(harness);
            awaitDraining(harness);
            byte[] body = chat("still there?", 2, false).getBytes(StandardCharsets.UTF_8);

            try (RawHttp client = new RawHttp(harness.gateway.port(), Duration.ofSeconds(5))) {
                client.send("POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                        + "content-length: " + body.length + "\r\n\r\n").send(body);
                String response = client.readAll();

                assertThat(response).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("\r\nconnection: close\r\n");
                assertThat(client.closedByServer()).isTrue();
            }
            shutdown.join();
        }
    }

    @Test
    void aConnectionAcceptedJustBeforeTheListenersCloseHasItsFirstRequestServed() throws Exception {
        try (GatewayHarness harness = slowEndpoint("shutdown: {grace_ms: 300, drain_timeout_ms: 2000}\n");
             RawHttp client = new RawHttp(harness.gateway.port(), Duration.ofSeconds(5))) {
            CompletableFuture<Void> shutdown = shutdownInBackground(harness);
            awaitListenerClosed(harness.gateway.port());
            byte[] body = chat("just in time?", 2, false).getBytes(StandardCharsets.UTF_8);

            client.send("POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                    + "content-length: " + body.length + "\r\n\r\n").send(body);

            assertThat(client.readAll()).startsWith("HTTP/1.1 200 OK");
            shutdown.join();
        }
    }

    /** Returns once a connection to {@code port} is refused: its listeners are closed. */
    private static void awaitListenerClosed(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                Thread.sleep(10);
            } catch (ConnectException refused) {
                return;
            }
        }
        throw new AssertionError("port " + port + " still accepts connections");
    }

    @Test
    void aRequestQueuedWhenTheListenersCloseIsA503WithRetryAfter() throws Exception {
        try (GatewayHarness harness = slowEndpoint("""
                flow_control: {saturation: {max_requests_per_endpoint: 1}}
                shutdown: {grace_ms: 300, drain_timeout_ms: 1000}
                """);
             RawHttp queued = new RawHttp(harness.gateway.port(), Duration.ofSeconds(5))) {
            Iterator<String> blocker = stream(harness, 100);
            nextEvent(blocker);
            CompletableFuture.runAsync(() -> blocker.forEachRemaining(line -> { }));
            byte[] body = chat("waiting", 2, false).getBytes(StandardCharsets.UTF_8);
            queued.send("POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                    + "content-length: " + body.length + "\r\n\r\n").send(body);
            awaitMetric(harness, "infergate_flow_queue_depth{class=\"standard\"} 1.0");

            long signalled = System.nanoTime();
            CompletableFuture<Void> shutdown = shutdownInBackground(harness);
            String response = queued.readUntil("}}");
            long answeredMillis = (System.nanoTime() - signalled) / 1_000_000;

            assertThat(response).startsWith("HTTP/1.1 503 ").containsIgnoringCase("\r\nretry-after: 1\r\n");
            String json = response.substring(response.indexOf("\r\n\r\n") + 4);
            assertThat(JSON.readTree(json).get("error").get("code").asText()).isEqualTo("gateway_shutting_down");
            // Answered when the listeners closed, after the grace, without waiting for the drain.
            assertThat(answeredMillis).as("answered after the signal, ms").isBetween(250L, 1000L);
            shutdown.join();
        }
    }

    @Test
    void overHttp2AStreamFinishesAndARequestInTheGraceIsServed(@TempDir Path dir)
            throws Exception {
        TestPki pki = TestPki.create(dir);
        TestPki.Issued server = pki.issue("gateway-1", "h2-drain");
        try (GatewayHarness harness = GatewayHarness.builder().emulator(o -> o.speed(1).decodeStepMillis(100))
                .listen(TlsTest.tls(server, 5000)).topLevel("shutdown: {grace_ms: 1000, drain_timeout_ms: 5000}\n")
                .start();
             HttpClient h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                     .sslContext(pki.clientContext()).build()) {
            URI chatUrl = URI.create("https://127.0.0.1:" + harness.gateway.port() + "/v1/chat/completions");
            HttpResponse<Stream<String>> streamed = h2.send(chatRequest(chatUrl, 20, true), HttpResponse.BodyHandlers.ofLines());
            Iterator<String> stream = streamed.body().iterator();
            nextEvent(stream);

            CompletableFuture<Void> shutdown = shutdownInBackground(harness);
            awaitDraining(harness);
            HttpResponse<String> inGrace = h2.send(chatRequest(chatUrl, 2, false), HttpResponse.BodyHandlers.ofString());
            List<String> events = new ArrayList<>();
            stream.forEachRemaining(line -> {
                if (line.startsWith("data: ")) {
                    events.add(line);
                }
            });
            shutdown.join();

            assertThat(streamed.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(inGrace.statusCode()).isEqualTo(200);
            assertThat(inGrace.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(events.getLast()).isEqualTo("data: [DONE]");
        }
    }

    private static HttpRequest chatRequest(URI url, int maxTokens, boolean stream) {
        return HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(chat("over h2", maxTokens, stream))).build();
    }

    /** One endpoint that produces a token every 100 ms. */
    private static GatewayHarness slowEndpoint(String topLevelYaml) {
        return GatewayHarness.builder().emulator(o -> o.speed(1).decodeStepMillis(100)).topLevel(topLevelYaml).start();
    }

    /** The lines of a streamed chat of {@code maxTokens} tokens, as they arrive. */
    private static Iterator<String> stream(GatewayHarness harness, int maxTokens) throws Exception {
        HttpResponse<Stream<String>> response = harness.http.send(HttpRequest.newBuilder(harness.url("/v1/chat/completions"))
                        .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(chat("a long story", maxTokens, true))).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body().iterator();
    }

    private static String nextEvent(Iterator<String> stream) {
        while (stream.hasNext()) {
            String line = stream.next();
            if (line.startsWith("data: ")) {
                return line;
            }
        }
        throw new AssertionError("the stream ended before its first event");
    }

    private static CompletableFuture<Void> shutdownInBackground(GatewayHarness harness) {
        return CompletableFuture.runAsync(() -> {
            try {
                harness.gateway.shutdown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    private static void awaitDraining(GatewayHarness harness) throws Exception {
        for (int i = 0; i < 200; i++) {
            if (harness.get(harness.adminUrl("/health")).statusCode() == 503) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("/health never answered 503");
    }

    private static void awaitMetric(GatewayHarness harness, String line) throws Exception {
        for (int i = 0; i < 500; i++) {
            if (harness.get(harness.adminUrl("/metrics")).body().contains(line)) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no metric line " + line);
    }
}
