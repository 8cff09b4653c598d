package io.infergate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Priority with the default flow settings (no {@code flow_control} section), over real sockets: the gateway
 * learns each server's batch from the plateau of its running count, keeps a sheddable flood waiting at the
 * gateway rather than in the servers' own queues, and a critical request then starts at the next free place.
 */
class DefaultPriorityTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration AWAIT = Duration.ofSeconds(10);

    @Test
    void aCriticalRequestStaysFastWhileASheddableFloodWaitsAtTheGateway() throws Exception {
        // two servers running two sequences each; a sheddable request decodes for about half a second
        try (GatewayHarness harness = GatewayHarness.builder()
                .emulator(o -> o.speed(1).maxNumSeqs(2).decodeStepMillis(10))
                .emulator(o -> o.speed(1).maxNumSeqs(2).decodeStepMillis(10))
                .start()) {
            criticalMillis(harness); // warms up the connections and the code paths
            long quietMillis = criticalMillis(harness);

            // a trickle of critical requests, as a fraud scorer sends them, all through the flood
            ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
            trickle.scheduleAtFixedRate(() -> send(harness, "critical", chat("trickle", 2, false)), 0, 300,
                    TimeUnit.MILLISECONDS);
            try {
                List<CompletableFuture<HttpResponse<String>>> flood = new ArrayList<>();
                for (int i = 0; i < 40; i++) {
                    flood.add(send(harness, "sheddable", chat("long " + i, 50, false)));
                }
                // the batch is learnt from the flood; the servers' own queues empty while the flood waits at the gateway
                await(() -> capacity(harness, 0).equals("2 OBSERVED") && capacity(harness, 1).equals("2 OBSERVED"));
                await(() -> waiting(harness, 0) == 0 && waiting(harness, 1) == 0 && queuedSheddable(harness) > 0);

                List<Long> floodMillis = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    floodMillis.add(criticalMillis(harness));
                }
                floodMillis.sort(null);

                assertThat(queuedSheddable(harness)).as("sheddable requests queued at the gateway").isPositive();
                // behind the flood in a server's own queue each would wait for half-second requests to end
                assertThat(floodMillis.get(2)).as("median critical latency, ms, in a sheddable flood, of %s (quiet: %d ms)",
                        floodMillis, quietMillis).isLessThan(quietMillis + 150);
                assertThat(flood).anyMatch(f -> !f.isDone());
            } finally {
                trickle.shutdownNow();
            }
        }
    }

    @Test
    void theAdminApiShowsTheBoundFlowControlUsesAndWhereItComesFrom() throws Exception {
        try (GatewayHarness learning = GatewayHarness.builder().emulators(1).start();
             GatewayHarness configured = GatewayHarness.builder().emulators(1)
                     .topLevel("flow_control: {saturation: {max_requests_per_endpoint: 3}}\n").start()) {
            assertThat(capacity(learning, 0)).as("nothing learnt before a flood").isEqualTo("0 UNKNOWN");
            assertThat(capacity(configured, 0)).isEqualTo("3 CONFIGURED");
        }
    }

    /** How long a short critical request takes end to end, in milliseconds. */
    private static long criticalMillis(GatewayHarness harness) {
        long start = System.nanoTime();
        HttpResponse<String> response = send(harness, "critical", chat("fraud?", 2, false)).join();
        assertThat(response.statusCode()).isEqualTo(200);
        return (System.nanoTime() - start) / 1_000_000;
    }

    private static CompletableFuture<HttpResponse<String>> send(GatewayHarness harness, String priority, String json) {
        return harness.http.sendAsync(HttpRequest.newBuilder(harness.url("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .header("x-infergate-priority", priority)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Endpoint {@code slot}'s batch capacity on {@code /admin/endpoints}, as "requests SOURCE". */
    private static String capacity(GatewayHarness harness, int slot) {
        JsonNode capacity = harness.endpoint(slot).path("capacity");
        return capacity.path("requests").asInt() + " " + capacity.path("source").asText();
    }

    private static int waiting(GatewayHarness harness, int slot) {
        return harness.endpoint(slot).path("load").path("waiting").asInt();
    }

    private static int queuedSheddable(GatewayHarness harness) {
        try {
            String metrics = harness.get(harness.adminUrl("/metrics")).body();
            Matcher m = Pattern
                    .compile("infergate_flow_queue_depth\\{class=\"sheddable\"} (\\S+)").matcher(metrics);
            return m.find() ? (int) Double.parseDouble(m.group(1)) : 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not reached within " + AWAIT);
            }
            Thread.sleep(10);
        }
    }
}
