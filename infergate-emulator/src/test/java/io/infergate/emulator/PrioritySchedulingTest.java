package io.infergate.emulator;

import io.infergate.core.engine.EngineStats;
import io.infergate.core.engine.SchedulingPolicy;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.infergate.emulator.TestHttp.chat;
import static io.infergate.emulator.TestHttp.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The {@code priority} request field, over HTTP, on servers with vLLM's two scheduling policies. */
class PrioritySchedulingTest {

    private static final String MODEL = "llama-3.1-8b-instruct";
    private static final int WAITER_TOKENS = 4;

    @Test
    void withThePriorityPolicyAWaitingLowerValueOvertakesEarlierHigherOnes() throws Exception {
        try (EmulatorServer server = oneAtATime(SchedulingPolicy.PRIORITY)) {
            List<String> finished = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<?> running = send(server.url(), "running", 5, 10, finished);
            awaitEngine(server, stats -> stats.running() == 1, "the first request running");
            CompletableFuture<?> sheddable = send(server.url(), "sheddable", 2, WAITER_TOKENS, finished);
            awaitWaiting(server, 1);
            CompletableFuture<?> standard = send(server.url(), "standard", 1, WAITER_TOKENS, finished);
            awaitWaiting(server, 2);
            CompletableFuture<?> critical = send(server.url(), "critical", 0, WAITER_TOKENS, finished);
            awaitWaiting(server, 3);

            CompletableFuture.allOf(running, sheddable, standard, critical).get(10, TimeUnit.SECONDS);

            assertThat(finished).containsExactly("running", "critical", "standard", "sheddable");
        }
    }

    @Test
    void withFcfsRequestsAreServedInArrivalOrder() throws Exception {
        try (EmulatorServer server = oneAtATime(SchedulingPolicy.FCFS)) {
            List<String> finished = Collections.synchronizedList(new ArrayList<>());
            CompletableFuture<?> running = send(server.url(), "running", 0, 10, finished);
            awaitEngine(server, stats -> stats.running() == 1, "the first request running");
            CompletableFuture<?> first = send(server.url(), "first", 0, WAITER_TOKENS, finished);
            awaitWaiting(server, 1);
            CompletableFuture<?> second = send(server.url(), "second", 0, WAITER_TOKENS, finished);
            awaitWaiting(server, 2);

            CompletableFuture.allOf(running, first, second).get(10, TimeUnit.SECONDS);

            assertThat(finished).containsExactly("running", "first", "second");
        }
    }

    @Test
    void withFcfsANonZeroPriorityIsRefusedAsVllmRefusesIt() throws Exception {
        try (EmulatorServer server = oneAtATime(SchedulingPolicy.FCFS)) {
            HttpResponse<String> refused = TestHttp.post(server.url(), "/v1/chat/completions",
                    chat(MODEL, "hi", false, "\"max_tokens\":1,\"priority\":3"));
            HttpResponse<String> zero = TestHttp.post(server.url(), "/v1/chat/completions",
                    chat(MODEL, "hi", false, "\"max_tokens\":1,\"priority\":0"));

            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(json(refused.body()).get("error").get("message").asText())
                    .isEqualTo("Got priority 3 but Priority scheduling is not enabled.");
            assertThat(zero.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aPriorityThatIsNotAnIntegerIsRefusedNamingTheField() throws Exception {
        try (EmulatorServer server = oneAtATime(SchedulingPolicy.PRIORITY)) {
            HttpResponse<String> refused = TestHttp.post(server.url(), "/v1/chat/completions",
                    chat(MODEL, "hi", false, "\"priority\":\"high\""));

            assertThat(refused.statusCode()).isEqualTo(400);
            assertThat(json(refused.body()).get("error").get("message").asText())
                    .isEqualTo("priority: \"high\" (expected: an integer)");
        }
    }

    /**
     * A server running one sequence at a time, each step 100 ms. The tests' first request runs 1 s, time
     * enough to queue the others behind it; a waiting request, once admitted, runs {@link #WAITER_TOKENS}
     * steps, so answers come 400 ms apart: a loaded machine still sees them in order.
     * It has answered one request already, so that no class loading holds up the answers a test times.
     */
    private static EmulatorServer oneAtATime(SchedulingPolicy policy) throws Exception {
        EmulatorServer server = EmulatorServer.start(EmulatorOptions.builder().profile("instant").models(List.of(MODEL))
                .maxNumSeqs(1).decodeStepMillis(100).schedulingPolicy(policy).build());
        send(server.url(), "warm-up", 0, 1, new ArrayList<>()).get(10, TimeUnit.SECONDS);
        // the answer can come before the figures show the engine idle again
        awaitEngine(server, stats -> stats.running() == 0, "the engine idle after the warm-up");
        return server;
    }

    /** Sends a chat request of {@code priority}; {@code finished} gets {@code name} when its answer arrives. */
    private static CompletableFuture<?> send(URI url, String name, int priority, int maxTokens, List<String> finished) {
        return CompletableFuture.runAsync(() -> {
            try {
                HttpResponse<String> response = TestHttp.post(url, "/v1/chat/completions", chat(MODEL, name, false,
                        "\"max_tokens\":" + maxTokens + ",\"priority\":" + priority));
                assertThat(response.statusCode()).as(name).isEqualTo(200);
                finished.add(name);
            } catch (Exception e) {
                throw new AssertionError(name, e);
            }
        });
    }

    private static void awaitWaiting(EmulatorServer server, int waiting) throws InterruptedException {
        awaitEngine(server, stats -> stats.waiting() == waiting, waiting + " request(s) waiting");
    }

    private static void awaitEngine(EmulatorServer server, Predicate<EngineStats> seen, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!seen.test(server.stats())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not seen within 5 s: " + what + "; engine: " + server.stats());
            }
            Thread.sleep(2);
        }
    }
}
