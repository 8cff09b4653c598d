package io.infergate.gateway;

import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.emulator.EmulatedNodeProvider;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's autoscaler with the emulated provider: nodes join the fleet, and a preempted one leaves it safely. */
class AutoscalingTest {

    private static final Duration AWAIT = Duration.ofSeconds(20);

    @Test
    void nodesTheAutoscalerStartsJoinTheFleetAndServe() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1).topLevel("""
                autoscaler:
                  pool: test
                  provider: {type: emulated, speed: 1000, startup_min_ms: 10000, startup_max_ms: 20000}
                  min_nodes: 3
                  interval_ms: 50
                """).start()) {
            awaitFleet(harness, fleet -> fleet.size() == 3);

            List<String> servedBy = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                HttpResponse<String> response = harness.post("/v1/chat/completions", chat("hello " + i, 4, false));
                assertThat(response.statusCode()).isEqualTo(200);
                servedBy.add(response.headers().firstValue("x-infergate-endpoint").orElseThrow());
            }

            assertThat(servedBy).contains("test-auto-1", "test-auto-2");
            String admin = harness.get(harness.adminUrl("/admin/autoscaler")).body();
            assertThat(admin).contains("\"pool\":\"test\"", "\"provider\":\"emulated\"", "\"committed_nodes\":3",
                    "\"action\":\"add\"", "\"reason\":\"below_min\"", "1 nodes < minimum 3");
            String metrics = harness.get(harness.adminUrl("/metrics")).body();
            assertThat(metrics).contains(
                    "infergate_autoscaler_decisions_total{action=\"add\",pool=\"test\",reason=\"below_min\"} 1.0",
                    "infergate_autoscaler_nodes{capacity=\"dedicated\",pool=\"test\",state=\"ready\"} 3.0",
                    "infergate_endpoint_in_flight{endpoint=\"test-auto-2\"");
        }
    }

    @Test
    void aPreemptedNodeVanishesUnderLoadWithoutFailingACriticalRequestAndBatchWorkIsRetried() throws Exception {
        // given one dedicated endpoint and two preemptible nodes started by the autoscaler, with saturation
        // thresholds the load stays under (a critical request spills onto preemptible capacity only when every
        // dedicated endpoint is full or down, see DedicatedForCriticalTest)
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1).topLevel("""
                flow_control: {saturation: {max_waiting_per_endpoint: 1000, max_kv_cache_usage: 1.0}}
                autoscaler:
                  pool: test
                  provider: {type: emulated, speed: 20, startup_min_ms: 2000, startup_max_ms: 2000, preemption_notice_ms: 0}
                  min_nodes: 3
                  hybrid: {dedicated_min: 1, preemptible_max: 4}
                  prices: {dedicated: 2.0, preemptible: 0.6}
                  interval_ms: 50
                """).start()) {
            // and scraped: before, the scheduler ranks them on neutral figures, behind a busy but known ep0
            awaitFleet(harness, fleet -> fleet.size() == 3 && !fleet.load(1).stale() && !fleet.load(2).stale());
            assertThat(harness.gateway.fleet().snapshot().endpoints()).extracting(Endpoint::capacity)
                    .containsExactly(CapacityKind.DEDICATED, CapacityKind.PREEMPTIBLE, CapacityKind.PREEMPTIBLE);

            // when batch and critical requests are in flight and one preemptible node vanishes
            List<CompletableFuture<HttpResponse<String>>> batch = new ArrayList<>();
            List<CompletableFuture<HttpResponse<String>>> critical = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                batch.add(send(harness, "sheddable", chat("batch " + i, 1000, false)));
                if (i % 3 == 0) {
                    critical.add(send(harness, "critical", chat("critical " + i, 50, false)));
                }
            }
            awaitFleet(harness, fleet -> harness.gateway.fleet().count(fleet.slotOf("test-auto-1")) > 0);
            EmulatedNodeProvider provider = (EmulatedNodeProvider) harness.gateway.autoscaler().orElseThrow().provider();
            provider.preempt("test-auto-1").toCompletableFuture().join();

            // then every request succeeds, critical ones on the dedicated endpoint, batch ones retried elsewhere
            for (CompletableFuture<HttpResponse<String>> response : critical) {
                assertThat(response.join().statusCode()).isEqualTo(200);
                assertThat(response.join().headers().firstValue("x-infergate-endpoint")).hasValue("ep0");
            }
            for (CompletableFuture<HttpResponse<String>> response : batch) {
                assertThat(response.join().statusCode()).isEqualTo(200);
            }
            String metrics = harness.get(harness.adminUrl("/metrics")).body();
            assertThat(sum(metrics, "infergate_retries_total\\{[^}]*} (\\S+)")).isPositive();
            assertThat(metrics).contains("infergate_autoscaler_preemptions_total{pool=\"test\"} 1.0");
            // and the autoscaler replaces the lost node to keep its minimum
            awaitFleet(harness, fleet -> fleet.slotOf("test-auto-3") >= 0);
            // while the lost node drains its last requests, then leaves the fleet for good
            awaitFleet(harness, fleet -> fleet.load(fleet.slotOf("test-auto-1")).lifecycle() == Lifecycle.REMOVED);
        }
    }

    private static CompletableFuture<HttpResponse<String>> send(GatewayHarness harness, String priority, String json) {
        return harness.http.sendAsync(HttpRequest.newBuilder(harness.url("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .header("x-infergate-priority", priority)
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitFleet(GatewayHarness harness, Predicate<FleetSnapshot> condition) throws InterruptedException {
        long deadline = System.nanoTime() + AWAIT.toNanos();
        while (!condition.test(harness.gateway.fleet().snapshot())) {
            assertThat(System.nanoTime()).as("fleet never reached the expected state: %s",
                    harness.gateway.fleet().snapshot().endpoints()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static double sum(String metrics, String pattern) {
        Matcher m = Pattern.compile(pattern).matcher(metrics);
        double total = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
        }
        return total;
    }
}
