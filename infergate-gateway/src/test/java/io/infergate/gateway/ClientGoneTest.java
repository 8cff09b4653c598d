package io.infergate.gateway;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.infergate.gateway.GatewayHarness.chat;
import static io.infergate.gateway.ResilienceTest.awaitTrue;
import static io.infergate.gateway.ResilienceTest.healthy;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clients that leave before the end (a user stops a generation, a client timeout shorter than the time
 * to first token): their requests are reset upstream, and the resets count neither against the
 * endpoints nor as retries. Two backends record each chat request they get and hold it, unanswered or
 * after a first event.
 */
class ClientGoneTest {

    /** More than the outlier detector's consecutive failures [5] on either endpoint. */
    private static final int CLIENTS = 12;
    private static final String FIRST_EVENT = "data: {\"first\":true}";

    private final Vertx backendVertx = Vertx.vertx();
    private final List<AtomicInteger> received = List.of(new AtomicInteger(), new AtomicInteger());
    private GatewayHarness harness;

    @BeforeEach
    void start() throws Exception {
        StringBuilder endpoints = new StringBuilder();
        for (int i = 0; i < received.size(); i++) {
            AtomicInteger count = received.get(i);
            HttpServer backend = backendVertx.createHttpServer().requestHandler(request -> {
                if (!request.path().equals("/v1/chat/completions")) {
                    request.response().end();
                    return;
                }
                count.incrementAndGet();
                if ("head".equals(request.getHeader("x-answer"))) {
                    request.response().setChunked(true).putHeader("content-type", "text/event-stream")
                            .write(FIRST_EVENT + "\n\n");
                }
            }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
            endpoints.append("      - {id: held").append(i).append(", url: \"http://127.0.0.1:")
                    .append(backend.actualPort()).append("\"}\n");
        }
        harness = GatewayHarness.builder().extraEndpoints(endpoints.toString()).start();
    }

    @AfterEach
    void stop() throws Exception {
        harness.close();
        backendVertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void clientsLeavingBeforeTheHeadNeitherEjectTheEndpointNorAreRetried() throws Exception {
        for (int i = 0; i < CLIENTS; i++) {
            try (RawHttp client = new RawHttp(harness.gateway.port(), Duration.ofSeconds(5))) {
                client.send(request("before-head " + i, "none"));
                int sent = i + 1;
                awaitTrue(() -> total(received) == sent, "chat " + sent + " reached a backend");
            }
            awaitClientGone(i + 1);
        }

        assertNothingCountedAgainstTheEndpoints();
    }

    @Test
    void clientsLeavingMidStreamNeitherEjectTheEndpointNorCountAsStreamCuts() throws Exception {
        for (int i = 0; i < CLIENTS; i++) {
            try (RawHttp client = new RawHttp(harness.gateway.port(), Duration.ofSeconds(5))) {
                assertThat(client.send(request("mid-stream " + i, "head")).readUntil(FIRST_EVENT))
                        .startsWith("HTTP/1.1 200");
            }
            awaitClientGone(i + 1);
        }

        assertNothingCountedAgainstTheEndpoints();
    }

    private void assertNothingCountedAgainstTheEndpoints() throws Exception {
        List<String> countedAgainst = harness.get(harness.adminUrl("/metrics")).body().lines()
                .filter(line -> line.contains("kind=\"upstream_reset\"") || line.contains("kind=\"stream_cut\"")
                        || line.startsWith("infergate_retries_total{") || line.startsWith("infergate_retry_give_ups_total{")
                        || line.startsWith("infergate_endpoint_ejections_total{"))
                .toList();
        assertThat(countedAgainst).isEmpty();
        awaitTrue(() -> inFlight(0) == 0 && inFlight(1) == 0, "no request in flight");
        assertThat(healthy(harness, 0)).isTrue();
        assertThat(healthy(harness, 1)).isTrue();
        assertThat(total(received)).as("one attempt per client, no retry").isEqualTo(CLIENTS);
    }

    private void awaitClientGone(int clients) throws InterruptedException {
        awaitTrue(() -> counted("infergate_proxy_errors_total\\{[^}]*kind=\"client_gone\"[^}]*} (\\S+)") == clients,
                clients + " clients counted as gone");
    }

    private int inFlight(int slot) {
        return harness.endpoint(slot).path("in_flight").asInt(-1);
    }

    /** The sum of the values of the metric lines {@code pattern} matches, its group 1 being the value. */
    private double counted(String pattern) {
        try {
            Matcher lines = Pattern.compile(pattern).matcher(harness.get(harness.adminUrl("/metrics")).body());
            double sum = 0;
            while (lines.find()) {
                sum += Double.parseDouble(lines.group(1));
            }
            return sum;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException("could not read /metrics: " + e.getMessage(), e);
        }
    }

    private static int total(List<AtomicInteger> counts) {
        return counts.stream().mapToInt(AtomicInteger::get).sum();
    }

    private static String request(String content, String answer) {
        String body = chat(content, 50, true);
        return "POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\n"
                + "X-Answer: " + answer + "\r\nContent-Length: " + body.length() + "\r\n\r\n" + body;
    }
}
