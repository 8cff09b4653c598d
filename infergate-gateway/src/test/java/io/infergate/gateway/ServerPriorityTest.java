package io.infergate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.infergate.core.engine.EngineStats;
import io.infergate.core.engine.SchedulingPolicy;
import io.infergate.emulator.EmulatorOptions;
import io.infergate.emulator.EmulatorServer;
import io.infergate.gateway.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pools[].server_priority} over real sockets: the body a pool's servers receive carries the
 * request's class rank in {@code priority} only when the pool declares it, and a server scheduling by
 * priority (the emulator as vLLM's {@code --scheduling-policy priority}) then lets a critical request
 * overtake sheddable ones already waiting in its own queue.
 */
class ServerPriorityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theForwardedBodyCarriesTheClassRankOnlyForThePoolThatDeclaresIt() throws Exception {
        try (BodyRecorder ranked = BodyRecorder.start(); BodyRecorder plain = BodyRecorder.start();
             Gateway gateway = Gateway.start(ConfigLoader.parse("""
                     listen: {host: 127.0.0.1, port: 0, admin_port: 0}
                     pools:
                       - name: ranked
                         server_priority: lower-first
                         models: [ranked-model]
                         endpoints: [{id: ranked, url: "%s"}]
                       - name: plain
                         models: [plain-model]
                         endpoints: [{id: plain, url: "%s"}]
                     """.formatted(ranked.url(), plain.url()), "server-priority.yaml"))) {
            assertThat(chat(gateway, "ranked-model", "sheddable", "").statusCode()).isEqualTo(200);
            assertThat(chat(gateway, "ranked-model", "critical", ",\"priority\":-100").statusCode()).isEqualTo(200);
            assertThat(chat(gateway, "plain-model", "critical", ",\"priority\":-100").statusCode()).isEqualTo(200);
            assertThat(chat(gateway, "plain-model", "sheddable", "").statusCode()).isEqualTo(200);

            assertThat(ranked.bodies()).extracting(body -> body.path("priority").asText("absent"))
                    .containsExactly("2", "0");
            assertThat(plain.bodies()).extracting(body -> body.path("priority").asText("absent"))
                    .containsExactly("absent", "absent");
            assertThat(plain.bodies()).allSatisfy(body -> assertThat(body.get("model").asText()).isEqualTo("plain-model"));
        }
    }

    @Test
    void aCriticalRequestOvertakesSheddableOnesWaitingInTheServersQueue() throws Exception {
        // one sequence at a time, 100 ms a step: the first request runs 1.5 s, time enough to queue the others
        // behind it; each of those runs 4 steps once admitted, so answers come 400 ms apart, far enough for a
        // loaded machine to see them in the order served
        try (EmulatorServer server = EmulatorServer.start(EmulatorOptions.builder().profile("instant")
                .models(List.of("m")).maxNumSeqs(1).decodeStepMillis(100)
                .schedulingPolicy(SchedulingPolicy.PRIORITY).build());
             Gateway gateway = Gateway.start(ConfigLoader.parse("""
                     listen: {host: 127.0.0.1, port: 0, admin_port: 0}
                     # every request goes on to the server at once: the server's own queue is under test
                     flow_control: {saturation: {max_requests_per_endpoint: 100}}
                     pools:
                       - name: chat
                         server_priority: lower-first
                         models: [m]
                         endpoints: [{id: vllm, url: "%s"}]
                     """.formatted(server.url()), "server-priority.yaml"))) {
            // warm: no class loading holds up the answers timed below
            send(gateway, "warm-up", "critical", 1, new ArrayList<>()).get(10, TimeUnit.SECONDS);
            awaitEngine(server, stats -> stats.running() == 0, "the engine idle after the warm-up");
            List<String> answered = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<?> running = send(gateway, "running", "sheddable", 15, answered);
            awaitEngine(server, stats -> stats.running() == 1, "the first request running");
            CompletableFuture<?> first = send(gateway, "sheddable-1", "sheddable", 4, answered);
            awaitEngine(server, stats -> stats.waiting() == 1, "one request waiting in the server");
            CompletableFuture<?> second = send(gateway, "sheddable-2", "sheddable", 4, answered);
            awaitEngine(server, stats -> stats.waiting() == 2, "two requests waiting in the server");
            CompletableFuture<?> critical = send(gateway, "critical", "critical", 4, answered);
            awaitEngine(server, stats -> stats.waiting() == 3, "three requests waiting in the server");

            CompletableFuture.allOf(running, first, second, critical).get(20, TimeUnit.SECONDS);

            assertThat(answered).containsExactly("running", "critical", "sheddable-1", "sheddable-2");
        }
    }

    private static HttpResponse<String> chat(Gateway gateway, String model, String priorityClass, String extra)
            throws IOException, InterruptedException {
        return HTTP.send(chatRequest(gateway, priorityClass, "{\"model\":\"" + model + "\",\"max_tokens\":1,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]" + extra + "}"), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest chatRequest(Gateway gateway, String priorityClass, String body) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(20)).header("content-type", "application/json")
                .header("x-infergate-priority", priorityClass)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Sends a chat of {@code priorityClass} through the gateway; {@code answered} gets {@code name} when it is answered. */
    private static CompletableFuture<?> send(Gateway gateway, String name, String priorityClass, int maxTokens,
                                             List<String> answered) {
        return CompletableFuture.runAsync(() -> {
            try {
                HttpResponse<String> response = HTTP.send(chatRequest(gateway, priorityClass, "{\"model\":\"m\","
                        + "\"max_tokens\":" + maxTokens + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + name + "\"}]}"),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(name + ": " + response.body()).isEqualTo(200);
                answered.add(name);
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(name, e);
            }
        });
    }

    private static void awaitEngine(EmulatorServer server, Predicate<EngineStats> seen, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!seen.test(server.stats())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not seen within 10 s: " + what + "; engine: " + server.stats());
            }
            Thread.sleep(2);
        }
    }

    /** An OpenAI-compatible endpoint that answers every chat at once and keeps the bodies it received. */
    private record BodyRecorder(HttpServer server, List<JsonNode> bodies) implements AutoCloseable {

        static BodyRecorder start() throws IOException {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            List<JsonNode> bodies = Collections.synchronizedList(new ArrayList<>());
            server.createContext("/", exchange -> {
                byte[] answer = new byte[0];
                if (exchange.getRequestMethod().equals("POST")) {
                    bodies.add(JSON.readTree(exchange.getRequestBody().readAllBytes()));
                    answer = ("{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
                            + "\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],"
                            + "\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}")
                            .getBytes(StandardCharsets.UTF_8);
                    exchange.getResponseHeaders().set("content-type", "application/json");
                }
                exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
                exchange.getResponseBody().write(answer);
                exchange.close();
            });
            server.start();
            return new BodyRecorder(server, bodies);
        }

        URI url() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
