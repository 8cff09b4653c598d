package io.infergate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.core.engine.EngineProfiles;
import io.infergate.emulator.EmulatorOptions;
import io.infergate.emulator.EmulatorServer;
import io.infergate.gateway.config.ConfigLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.infergate.gateway.GatewayHarness.MODEL;
import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code predicted-latency} scheduler through the real gateway: three A100s and an L4 (emulated,
 * ten times faster than real time), none declaring its accelerator, so the gateway must learn which one
 * is slow from the streams it relays. The answers say where each stream went; {@code /metrics} shows
 * the speeds learnt and the prediction errors; {@code /admin/picks} shows the predictions.
 */
class PredictedLatencyRoutingTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WORKERS = 12;
    private static final int REQUESTS_PER_WORKER = 15;
    private static final String SLOW = "l4";

    private static final List<EmulatorServer> FLEET = new ArrayList<>();
    private static Gateway gateway;
    private static final Map<String, Integer> SERVED_BY = new ConcurrentHashMap<>();
    private static final AtomicInteger FAILURES = new AtomicInteger();

    @BeforeAll
    static void routeStreamsThroughAMixedFleet() throws Exception {
        StringBuilder yaml = new StringBuilder("""
                listen: {host: 127.0.0.1, port: 0, admin_port: 0}
                scrape: {interval_ms: 100}
                routing: {scheduler: predicted-latency}
                health: {latency_factor: 100}
                pools:
                  - name: p
                    type: vllm
                    models: [%s]
                    endpoints:
                """.formatted(MODEL));
        for (int i = 0; i < 4; i++) {
            boolean slow = i == 3;
            EmulatorServer server = EmulatorServer.start(EmulatorOptions.builder().host("127.0.0.1").port(0)
                    .profile(slow ? EngineProfiles.L4_LLAMA3_8B : EngineProfiles.A100_LLAMA3_8B)
                    .speed(10).seed(i).models(List.of(MODEL)).build());
            FLEET.add(server);
            yaml.append("      - {id: ").append(slow ? SLOW : "a100-" + i).append(", url: \"").append(server.url())
                    .append("\"}\n");
        }
        gateway = Gateway.start(ConfigLoader.parse(yaml.toString(), "predicted.yaml"));
        URI uri = URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions");
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                done.add(workers.submit(() -> {
                    for (int r = 0; r < REQUESTS_PER_WORKER; r++) {
                        HttpResponse<InputStream> response = http.send(HttpRequest.newBuilder(uri)
                                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(chat("worker " + worker + " asks "
                                        + "for a story numbered " + r + " about a lighthouse", 48, true)))
                                .build(), HttpResponse.BodyHandlers.ofInputStream());
                        String body;
                        try (InputStream in = response.body()) {
                            body = new String(in.readAllBytes());
                        }
                        if (response.statusCode() != 200 || !body.contains("data: [DONE]")) {
                            FAILURES.incrementAndGet();
                        }
                        SERVED_BY.merge(response.headers().firstValue("x-infergate-endpoint").orElse("none"), 1,
                                Integer::sum);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        FLEET.forEach(EmulatorServer::close);
    }

    @Test
    void theSlowEndpointGetsLessThanItsShareAndNothingFails() {
        int total = SERVED_BY.values().stream().mapToInt(Integer::intValue).sum();
        System.out.println("predicted-latency served by " + SERVED_BY);
        assertThat(FAILURES.get()).isZero();
        assertThat(total).isEqualTo(WORKERS * REQUESTS_PER_WORKER);
        assertThat(SERVED_BY.getOrDefault(SLOW, 0) / (double) total).as("the L4's share (round robin: 0.25)")
                .isLessThan(0.2);
    }

    @Test
    void theSpeedsLearntShowTheSlowEndpointAndThePredictionErrorsAreExported() throws Exception {
        String metrics = get("http://127.0.0.1:" + gateway.adminPort() + "/metrics").body();
        double l4 = gauge(metrics, "infergate_endpoint_predicted_decode_tokens_per_second", SLOW);
        double a100 = Math.max(gauge(metrics, "infergate_endpoint_predicted_decode_tokens_per_second", "a100-0"),
                Math.max(gauge(metrics, "infergate_endpoint_predicted_decode_tokens_per_second", "a100-1"),
                        gauge(metrics, "infergate_endpoint_predicted_decode_tokens_per_second", "a100-2")));
        assertThat(l4).as("decode tokens/s learnt for the L4, against the fastest A100's %.0f", a100).isLessThan(a100 / 2);
        assertThat(gauge(metrics, "infergate_endpoint_predicted_prefill_tokens_per_second", "a100-0")).isPositive();
        double ttftCount = sum(metrics, "infergate_prediction_error_percent_count{", "kind=\"ttft\"");
        double ttftWithinHalf = sum(metrics, "infergate_prediction_error_percent_bucket{", "kind=\"ttft\",pool=\"p\",le=\"50.0\"}");
        assertThat(ttftCount).isPositive();
        assertThat(ttftWithinHalf / ttftCount).as("share of TTFT predictions within 50 %%").isGreaterThan(0.3);
        assertThat(sum(metrics, "infergate_prediction_error_percent_count{", "kind=\"end_to_end\"")).isPositive();
    }

    @Test
    void picksShowEachCandidatesPredictionAndItsInputs() throws Exception {
        JsonNode picks = JSON.readTree(get("http://127.0.0.1:" + gateway.adminPort() + "/admin/picks?limit=1").body());
        assertThat(picks.path("scheduler").asText()).isEqualTo("predicted-latency");
        JsonNode candidates = picks.path("picks").path(0).path("explanation").path("candidates");
        assertThat(candidates.size()).isEqualTo(4);
        for (JsonNode candidate : candidates) {
            JsonNode predicted = candidate.path("predicted");
            assertThat(predicted.path("ttft_ms").asDouble()).as("%s", candidate).isPositive();
            assertThat(predicted.path("end_to_end_ms").asDouble()).isGreaterThan(predicted.path("ttft_ms").asDouble());
            assertThat(predicted.has("requests_ahead")).isTrue();
            assertThat(predicted.path("decode_tokens_per_s").asDouble()).isPositive();
        }
    }

    /** The sum of the series whose line starts with {@code prefix} and contains {@code part}, over every endpoint. */
    private static double sum(String metrics, String prefix, String part) {
        return metrics.lines().filter(line -> line.startsWith(prefix) && line.contains(part))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }

    private static double gauge(String metrics, String name, String endpoint) {
        Matcher m = Pattern.compile("^" + name + "\\{[^}]*endpoint=\"" + Pattern.quote(endpoint) + "\"[^}]*} (\\S+)$",
                Pattern.MULTILINE).matcher(metrics);
        assertThat(m.find()).as("%s for %s", name, endpoint).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static HttpResponse<String> get(String url) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
