package io.infergate.gateway;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.infergate.gateway.ErrorPathsTest.assertError;
import static io.infergate.gateway.ErrorPathsTest.message;
import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flow control over real sockets: every way flow control turns a request away is a response with a
 * status, a {@code Retry-After} and an OpenAI-shaped body, and a metric; critical work overtakes a
 * queued sheddable backlog and uses the capacity reserved for it.
 *
 * <p>Most tests saturate a one-endpoint pool that takes one request at a time
 * ({@code max_requests_per_endpoint: 1}) with a request the endpoint never answers.
 */
class FlowControlTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration AWAIT = Duration.ofSeconds(10);

    @Test
    void anUnknownPriorityClassIsA400ListingTheClasses() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1).start()) {
            HttpResponse<String> response = send(harness, "urgent", "", chat("hi", 2, false)).join();

            assertError(response, 400, "invalid_request_error");
            assertThat(code(response)).isEqualTo("unknown_priority_class");
            assertThat(message(response)).contains("'urgent'").contains("x-infergate-priority")
                    .contains("critical, standard, sheddable");
            assertThat(response.headers().firstValue("retry-after")).isEmpty();
        }
    }

    @Test
    void aMalformedDeadlineIsA400() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1).start()) {
            HttpResponse<String> response = harness.http.send(request(harness, "standard", "", chat("hi", 2, false))
                    .header("x-infergate-deadline-ms", "soon").build(), HttpResponse.BodyHandlers.ofString());

            assertError(response, 400, "invalid_request_error");
            assertThat(message(response)).contains("x-infergate-deadline-ms").contains("'soon'");
        }
    }

    @Test
    void aFullQueueIsA503WithRetryAfter() throws Exception {
        try (GatewayHarness harness = saturated("""
                flow_control:
                  classes: [{name: critical}, {name: standard}, {name: sheddable, queue_limit: 1, sheddable: true}]
                  saturation: {max_requests_per_endpoint: 1}
                """)) {
            CompletableFuture<HttpResponse<String>> queued = send(harness, "sheddable", "", chat("first", 2, false));
            awaitMetric(harness, "infergate_flow_queue_depth\\{class=\"sheddable\"} 1.0");

            HttpResponse<String> response = send(harness, "sheddable", "", chat("second", 2, false)).join();

            assertRejected(response, 503, "service_unavailable", "queue_full");
            assertThat(message(response)).contains("'sheddable'").contains("queue").contains("full");
            assertThat(queued).isNotDone();
            assertThat(metrics(harness)).contains(
                    "infergate_flow_rejected_total{class=\"sheddable\",reason=\"queue_full\"} 1.0");
        }
    }

    @Test
    void aRequestPastItsDeadlineIsA503WithRetryAfter() throws Exception {
        try (GatewayHarness harness = saturated("flow_control: {saturation: {max_requests_per_endpoint: 1}}\n")) {
            long start = System.nanoTime();

            HttpResponse<String> response = harness.http.send(request(harness, "critical", "", chat("hurry", 2, false))
                    .header("x-infergate-deadline-ms", "150").build(), HttpResponse.BodyHandlers.ofString());

            long waitedMillis = (System.nanoTime() - start) / 1_000_000;
            assertRejected(response, 503, "service_unavailable", "deadline_exceeded");
            assertThat(message(response)).contains("'critical'").contains("waited");
            assertThat(waitedMillis).isBetween(150L, 3000L);
            String metrics = metrics(harness);
            assertThat(metrics).contains("infergate_flow_rejected_total{class=\"critical\",reason=\"deadline_exceeded\"} 1.0");
            assertThat(metrics).contains("infergate_flow_queue_depth{class=\"critical\"} 0.0");
        }
    }

    @Test
    void aClientThatLeavesWhileQueuedLeavesTheQueue() throws Exception {
        try (GatewayHarness harness = saturated("flow_control: {saturation: {max_requests_per_endpoint: 1}}\n")) {
            byte[] body = chat("never mind", 2, false).getBytes(StandardCharsets.UTF_8);
            try (Socket socket = new Socket("127.0.0.1", harness.gateway.port())) {
                OutputStream out = socket.getOutputStream();
                out.write(("POST /v1/chat/completions HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
                        + "x-infergate-priority: standard\r\ncontent-length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
                awaitMetric(harness, "infergate_flow_queue_depth\\{class=\"standard\"} 1.0");
            }

            awaitMetric(harness, "infergate_flow_queue_depth\\{class=\"standard\"} 0.0");
            awaitMetric(harness, "infergate_flow_rejected_total\\{class=\"standard\",reason=\"client_gone\"} 1.0");
            assertThat(metrics(harness)).containsPattern(
                    "infergate_request_duration_seconds_count\\{endpoint=\"none\",model=\"[^\"]+\",outcome=\"client_gone\"} 1");
        }
    }

    @Test
    void aTenantOverItsShareOfAFullQueueIsA429AndATenantUnderItTakesItsPlace() throws Exception {
        try (GatewayHarness harness = saturated("""
                flow_control:
                  classes: [{name: critical}, {name: standard, queue_limit: 2}, {name: sheddable, sheddable: true}]
                  saturation: {max_requests_per_endpoint: 1}
                """)) {
            CompletableFuture<HttpResponse<String>> first = send(harness, "standard", "a", chat("a1", 2, false));
            awaitMetric(harness, "infergate_flow_queue_depth\\{class=\"standard\"} 1.0");
            CompletableFuture<HttpResponse<String>> second = send(harness, "standard", "a", chat("a2", 2, false));
            awaitMetric(harness, "infergate_flow_queue_depth\\{class=\"standard\"} 2.0");

            CompletableFuture<HttpResponse<String>> fromB = send(harness, "standard", "b", chat("b1", 2, false));
            HttpResponse<String> pushedOut = second.get(AWAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            HttpResponse<String> againFromA = send(harness, "standard", "a", chat("a3", 2, false)).join();

            for (HttpResponse<String> refused : List.of(pushedOut, againFromA)) {
                assertRejected(refused, 429, "rate_limit_error", "tenant_over_share");
                assertThat(message(refused)).contains("tenant 'a'");
            }
            assertThat(first).isNotDone();
            assertThat(fromB).isNotDone();
            assertThat(metrics(harness)).contains(
                    "infergate_flow_rejected_total{class=\"standard\",reason=\"tenant_over_share\"} 2.0");
        }
    }

    @Test
    void pastThePoolWideBoundASheddableRequestIsShedForACriticalOne() throws Exception {
        try (GatewayHarness harness = saturated("flow_control: {max_queued: 1, saturation: {max_requests_per_endpoint: 1}}\n")) {
            CompletableFuture<HttpResponse<String>> sheddable = send(harness, "sheddable", "", chat("image", 2, false));
            awaitMetric(harness, "infergate_flow_queue_depth\\{class=\"sheddable\"} 1.0");

            CompletableFuture<HttpResponse<String>> critical = send(harness, "critical", "", chat("fraud?", 2, false));
            HttpResponse<String> shed = sheddable.get(AWAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);

            assertRejected(shed, 503, "service_unavailable", "shed");
            assertThat(message(shed)).contains("'sheddable'").contains("'critical'");
            assertThat(critical).isNotDone();
            awaitMetric(harness, "infergate_flow_queue_depth\\{class=\"critical\"} 1.0");
        }
    }

    @Test
    void criticalIsDispatchedAheadOfAQueuedSheddableBacklog() throws Exception {
        // one endpoint taking one request at a time, each request about 100 ms (5 tokens, 20 ms apart)
        try (GatewayHarness harness = GatewayHarness.builder()
                .emulator(o -> o.speed(1).decodeStepMillis(20))
                .topLevel("flow_control: {saturation: {max_requests_per_endpoint: 1}}\n")
                .start()) {
            List<CompletableFuture<Long>> sheddable = new ArrayList<>();
            sheddable.add(finishedAt(send(harness, "sheddable", "", chat("busy", 5, false))));
            awaitMetric(harness, "infergate_endpoint_in_flight\\{[^}]*} 1.0");
            for (int i = 0; i < 4; i++) {
                sheddable.add(finishedAt(send(harness, "sheddable", "", chat("backlog " + i, 5, false))));
            }
            awaitMetric(harness, "infergate_flow_queue_depth\\{class=\"sheddable\"} 4.0");

            long critical = finishedAt(send(harness, "critical", "", chat("fraud?", 5, false))).join();

            List<Long> sheddableDone = sheddable.stream().map(CompletableFuture::join).toList();
            assertThat(sheddableDone.subList(1, 5)).as("every queued sheddable request finishes after the critical one")
                    .allSatisfy(done -> assertThat(done).isGreaterThan(critical));
            String metrics = metrics(harness);
            assertThat(metrics).contains("infergate_flow_dispatched_total{class=\"critical\",tenant=\"\"} 1.0");
            assertThat(metrics).contains("infergate_flow_dispatched_total{class=\"sheddable\",tenant=\"\"} 5.0");
            assertThat(metrics).containsPattern("infergate_flow_queue_wait_seconds_count\\{class=\"critical\"} 1");
            assertThat(metrics).containsPattern("infergate_flow_dispatch_latency_seconds_count\\{class=\"critical\"} 1");
        }
    }

    @Test
    void aQueueWhoseOldestHasWaitedLifoAfterIsServedNewestFirst() throws Exception {
        // one endpoint taking one request at a time: a 400 ms request, then three of 100 ms queued behind it
        try (GatewayHarness harness = GatewayHarness.builder()
                .emulator(o -> o.speed(1).decodeStepMillis(20))
                .topLevel("""
                        flow_control:
                          classes: [{name: critical}, {name: standard, lifo_after_ms: 100}]
                          saturation: {max_requests_per_endpoint: 1}
                        """)
                .start()) {
            CompletableFuture<Long> busy = finishedAt(send(harness, "standard", "", chat("busy", 20, false)));
            awaitMetric(harness, "infergate_endpoint_in_flight\\{[^}]*} 1.0");
            List<CompletableFuture<Long>> queued = new ArrayList<>();
            for (int i = 1; i <= 3; i++) {
                queued.add(finishedAt(send(harness, "standard", "", chat("queued " + i, 5, false))));
                awaitMetric(harness, "infergate_flow_queue_depth\\{class=\"standard\"} " + i + ".0");
            }

            // when the first request ends, the oldest queued one has waited far more than 100 ms
            busy.join();
            List<Long> done = queued.stream().map(CompletableFuture::join).toList();

            // then the newest went first
            assertThat(done.get(2)).isLessThan(done.get(1));
            assertThat(done.get(1)).isLessThan(done.get(0));
        }
    }

    @Test
    void criticalUsesTheReservedShareAtOnceWhileSheddableWaits() throws Exception {
        // two places on the endpoint, one of them reserved for critical: sheddable gets one at a time
        try (GatewayHarness harness = GatewayHarness.builder()
                .emulator(o -> o.speed(1).decodeStepMillis(20))
                .topLevel("flow_control: {reserved_for_critical: 0.5, saturation: {max_requests_per_endpoint: 2}}\n")
                .start()) {
            List<CompletableFuture<HttpResponse<String>>> sheddable = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                sheddable.add(send(harness, "sheddable", "", chat("long " + i, 50, false)));
            }
            awaitMetric(harness, "infergate_flow_queue_depth\\{class=\"sheddable\"} 2.0");
            long start = System.nanoTime();

            HttpResponse<String> critical = send(harness, "critical", "", chat("fraud?", 2, false)).join();

            long criticalMillis = (System.nanoTime() - start) / 1_000_000;
            assertThat(critical.statusCode()).isEqualTo(200);
            assertThat(criticalMillis).as("critical latency, ms, while a 1 s sheddable request runs").isLessThan(700);
            assertThat(metrics(harness)).contains("infergate_flow_queue_depth{class=\"sheddable\"} 2.0");
            assertThat(sheddable).noneMatch(CompletableFuture::isDone);
        }
    }

    @Test
    void aRequestLetThroughIsNotSentToAnEndpointWithoutRoomForIt() throws Exception {
        // ep0 holds two requests it never answers and never reports: full, though its scrape looks idle
        try (GatewayHarness harness = GatewayHarness.builder().emulators(2)
                .topLevel("flow_control: {saturation: {max_requests_per_endpoint: 2}}\n").start()) {
            harness.emulators.getFirst().faults().hang(true);
            while (!metrics(harness).contains("infergate_endpoint_in_flight{endpoint=\"ep0\",pool=\"test\",region=\"local\"} 2.0")) {
                send(harness, "critical", "", chat("fill ep0", 2, false));
                Thread.sleep(20);
            }

            for (int i = 0; i < 10; i++) {
                HttpResponse<String> response = harness.http.send(request(harness, "critical", "", chat("fraud? " + i, 2, false))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());

                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.headers().firstValue("x-infergate-endpoint")).hasValue("ep1");
            }
        }
    }

    @Test
    void withFlowControlOffThePriorityHeaderIsIgnored() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1)
                .topLevel("flow_control: {enabled: false}\n").start()) {
            HttpResponse<String> response = send(harness, "urgent", "", chat("hi", 2, false)).join();

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(metrics(harness)).doesNotContain("infergate_flow_");
        }
    }

    /**
     * A gateway whose single endpoint never answers and holds one request; {@code flowYaml} must make
     * one request saturate it, so that every later request waits at the gateway.
     */
    private static GatewayHarness saturated(String flowYaml) throws Exception {
        GatewayHarness harness = GatewayHarness.builder().emulators(1).topLevel(flowYaml).start();
        harness.emulators.getFirst().faults().hang(true);
        send(harness, "critical", "", chat("blocker", 2, false));
        awaitMetric(harness, "infergate_endpoint_in_flight\\{[^}]*} 1.0");
        return harness;
    }

    private static HttpRequest.Builder request(GatewayHarness harness, String priority, String tenant, String json) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(harness.url("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .header("x-infergate-priority", priority)
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (!tenant.isEmpty()) {
            builder.header("x-infergate-tenant", tenant);
        }
        return builder;
    }

    private static CompletableFuture<HttpResponse<String>> send(GatewayHarness harness, String priority, String tenant,
                                                                String json) {
        return harness.http.sendAsync(request(harness, priority, tenant, json).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static CompletableFuture<Long> finishedAt(CompletableFuture<HttpResponse<String>> response) {
        return response.thenApply(r -> {
            assertThat(r.statusCode()).isEqualTo(200);
            return System.nanoTime();
        });
    }

    private static String metrics(GatewayHarness harness) throws IOException, InterruptedException {
        return harness.get(harness.adminUrl("/metrics")).body();
    }

    /** Polls the admin metrics until a line matches {@code pattern}; fails after {@link #AWAIT}. */
    private static void awaitMetric(GatewayHarness harness, String pattern) throws Exception {
        Pattern expected = Pattern.compile(pattern);
        long deadline = System.nanoTime() + AWAIT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = metrics(harness);
            Matcher matcher = expected.matcher(last);
            if (matcher.find()) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no metric matched " + pattern + " within " + AWAIT + "; last scrape:\n" + last);
    }

    /** An OpenAI-shaped error with this status, type and code, and a {@code Retry-After} of 1 to 600 seconds. */
    private static void assertRejected(HttpResponse<String> response, int status, String type, String code)
            throws IOException {
        assertError(response, status, type);
        assertThat(code(response)).isEqualTo(code);
        assertThat(response.headers().firstValue("retry-after")).hasValueSatisfying(value ->
                assertThat(Integer.parseInt(value)).isBetween(1, 600));
    }

    private static String code(HttpResponse<String> response) throws IOException {
        return JSON.readTree(response.body()).path("error").path("code").asText();
    }
}
