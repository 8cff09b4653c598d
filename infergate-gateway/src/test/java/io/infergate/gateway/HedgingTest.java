package io.infergate.gateway;

import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hedging over real sockets: a request stuck on a hanging endpoint gets a second attempt after its pool's
 * first-byte percentile, the hedge answers, and the stuck attempt is cancelled.
 */
class HedgingTest {

    private static final String HEDGING = """
            retry:
              per_try_timeout_ms: 20000
              hedging: {enabled: true, priorities: [critical], min_delay_ms: 20}
            """;

    @Test
    void aLateCriticalRequestIsHedgedAndTheLoserCancelled() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(2).scheduler("round-robin")
                .topLevel(HEDGING).start()) {
            learnFirstByteLatency(harness);
            harness.emulators.getFirst().faults().hang(true);

            for (int i = 0; i < 6; i++) {
                long start = System.nanoTime();
                HttpResponse<String> response = send(harness, "critical", i);

                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(response.headers().firstValue("x-infergate-endpoint")).hasValue("ep1");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            }
            String metrics = harness.get(harness.adminUrl("/metrics")).body();
            assertThat(counter(metrics, "infergate_hedges_total\\{event=\"sent\"}")).isBetween(3L, 6L);
            assertThat(counter(metrics, "infergate_hedges_total\\{event=\"hedge_won\"}"))
                    .isEqualTo(counter(metrics, "infergate_hedges_total\\{event=\"sent\"}"));
            // The cancelled attempts no longer count against the hanging endpoint.
            ResilienceTest.awaitTrue(() -> inFlight(harness, 0) == 0 && inFlight(harness, 1) == 0, "in-flight back to 0");
        }
    }

    @Test
    void withTheDefaultSettingsRequestsOfEveryClassAreHedged() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(2).scheduler("round-robin")
                .topLevel("retry: {per_try_timeout_ms: 20000}\n").start()) {
            learnFirstByteLatency(harness);
            harness.emulators.getFirst().faults().hang(true);

            for (int i = 0; i < 4; i++) {
                long start = System.nanoTime();
                HttpResponse<String> response = send(harness, i % 2 == 0 ? "standard" : "sheddable", i);

                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
                assertThat(response.headers().firstValue("x-infergate-endpoint")).hasValue("ep1");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
            }
            String metrics = harness.get(harness.adminUrl("/metrics")).body();
            assertThat(counter(metrics, "infergate_hedges_total\\{event=\"hedge_won\"}")).isBetween(2L, 4L);
        }
    }

    @Test
    void requestsOfOtherClassesAreNotHedged() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(2).scheduler("round-robin")
                .topLevel(HEDGING.replace("20000", "600")).start()) {
            learnFirstByteLatency(harness);
            harness.emulators.getFirst().faults().hang(true);

            long slowest = 0;
            for (int i = 0; i < 4; i++) {
                long start = System.nanoTime();
                HttpResponse<String> response = send(harness, "standard", i);
                slowest = Math.max(slowest, System.nanoTime() - start);
                assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            }

            // The attempts on the hanging endpoint waited for the per-try timeout, then were retried.
            assertThat(Duration.ofNanos(slowest)).isGreaterThanOrEqualTo(Duration.ofMillis(600));
            assertThat(harness.get(harness.adminUrl("/metrics")).body()).doesNotContain("infergate_hedges_total{");
        }
    }

    /** Enough quick answers in the pools' first interval for a first-byte percentile to be published. */
    private static void learnFirstByteLatency(GatewayHarness harness) throws Exception {
        for (int i = 0; i < 24; i++) {
            assertThat(send(harness, "critical", i).statusCode()).isEqualTo(200);
        }
        Thread.sleep(1_100);
        assertThat(send(harness, "critical", 99).statusCode()).isEqualTo(200);
    }

    private static HttpResponse<String> send(GatewayHarness harness, String priority, int i) throws Exception {
        return harness.http.send(HttpRequest.newBuilder(harness.url("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .header("x-infergate-priority", priority)
                .POST(HttpRequest.BodyPublishers.ofString(chat("hi " + i, 2, false))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static long counter(String metrics, String series) {
        Matcher matcher = Pattern.compile("(?m)^" + series + " ([0-9.]+)$").matcher(metrics);
        return matcher.find() ? (long) Double.parseDouble(matcher.group(1)) : 0;
    }

    private static int inFlight(GatewayHarness harness, int slot) {
        return harness.endpoint(slot).path("in_flight").asInt();
    }
}
