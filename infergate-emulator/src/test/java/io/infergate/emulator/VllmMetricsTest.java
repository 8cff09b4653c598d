package io.infergate.emulator;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.infergate.emulator.TestHttp.chat;
import static org.assertj.core.api.Assertions.assertThat;

class VllmMetricsTest {

    private static final String MODEL = "llama-3.1-8b-instruct";
    private static final String LABEL = "{model_name=\"" + MODEL + "\"}";

    @Test
    void metricsUseVllmNamesLabelledWithTheModel() throws Exception {
        try (EmulatorServer server = EmulatorServer.start(EmulatorOptions.builder().profile("instant").build())) {
            String metrics = TestHttp.get(server.url(), "/metrics").body();

            assertThat(metrics).contains(
                    "# TYPE vllm:num_requests_waiting gauge",
                    "vllm:num_requests_waiting" + LABEL + " 0.0",
                    "vllm:num_requests_running" + LABEL + " 0.0",
                    "vllm:kv_cache_usage_perc" + LABEL + " 0.0",
                    "vllm:gpu_cache_usage_perc" + LABEL + " 0.0",
                    "# TYPE vllm:prompt_tokens_total counter",
                    "vllm:prompt_tokens_total" + LABEL + " 0.0",
                    "vllm:generation_tokens_total" + LABEL + " 0.0",
                    "vllm:request_success_total{finished_reason=\"stop\",model_name=\"" + MODEL + "\"} 0.0",
                    "# TYPE vllm:time_to_first_token_seconds histogram",
                    "vllm:time_to_first_token_seconds_bucket{le=\"0.001\",model_name=\"" + MODEL + "\"} 0.0",
                    "vllm:time_to_first_token_seconds_bucket{le=\"+Inf\",model_name=\"" + MODEL + "\"} 0.0",
                    "vllm:e2e_request_latency_seconds_count" + LABEL + " 0.0",
                    "vllm:e2e_request_latency_seconds_sum" + LABEL + " 0.0");
        }
    }

    @Test
    void requestsBeyondMaxNumSeqsShowAsWaitingAndCountersAddUp() throws Exception {
        try (EmulatorServer server = EmulatorServer.start(EmulatorOptions.builder()
                .profile("a100-llama3-8b").maxNumSeqs(2).decodeStepMillis(50).speed(1).build());
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<TestHttp.Streamed>> streams = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String body = chat(MODEL, "request " + i, true, "\"max_tokens\":10");
                streams.add(CompletableFuture.supplyAsync(() -> streamQuietly(server.url(), body), clients));
            }

            String busy = awaitMetrics(server.url(), Map.of("vllm:num_requests_waiting" + LABEL, 4.0,
                    "vllm:num_requests_running" + LABEL, 2.0));
            streams.forEach(CompletableFuture::join);
            String done = TestHttp.get(server.url(), "/metrics").body();

            assertThat(value(busy, "vllm:kv_cache_usage_perc" + LABEL)).isPositive();
            assertThat(value(done, "vllm:num_requests_waiting" + LABEL)).isZero();
            assertThat(value(done, "vllm:num_requests_running" + LABEL)).isZero();
            assertThat(value(done, "vllm:generation_tokens_total" + LABEL)).isEqualTo(60.0);
            assertThat(value(done, "vllm:prompt_tokens_total" + LABEL)).isEqualTo(6 * 10.0); // 3 + 4 + ceil(9 / 4) each
            assertThat(value(done, "vllm:request_success_total{finished_reason=\"length\",model_name=\"" + MODEL + "\"}"))
                    .isEqualTo(6.0);
            assertThat(value(done, "vllm:time_to_first_token_seconds_count" + LABEL)).isEqualTo(6.0);
            assertThat(value(done, "vllm:e2e_request_latency_seconds_count" + LABEL)).isEqualTo(6.0);
            assertThat(value(done, "vllm:e2e_request_latency_seconds_sum" + LABEL)).isGreaterThan(6 * 0.5); // ≥ 10 steps of 50 ms each
        }
    }

    @Test
    void aClientThatGoesAwayIsAbortedAndFreesItsPlace() throws Exception {
        try (EmulatorServer server = EmulatorServer.start(EmulatorOptions.builder()
                .profile("a100-llama3-8b").decodeStepMillis(50).speed(1).build())) {
            String body = "{\"prompt\":\"long\",\"max_tokens\":1000,\"stream\":true}";
            try (Socket socket = new Socket("127.0.0.1", server.port())) {
                socket.setSoTimeout(5000);
                socket.getOutputStream().write(("POST /v1/completions HTTP/1.1\r\nhost: localhost\r\n"
                        + "content-type: application/json\r\ncontent-length: " + body.length() + "\r\n\r\n" + body)
                        .getBytes(StandardCharsets.US_ASCII));
                BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
                String line;
                do {
                    line = reader.readLine();
                } while (line != null && !line.startsWith("data: "));
                assertThat(line).startsWith("data: ");
            }

            String metrics = awaitMetrics(server.url(),
                    Map.of("vllm:request_success_total{finished_reason=\"abort\",model_name=\"" + MODEL + "\"}", 1.0));

            assertThat(value(metrics, "vllm:num_requests_running" + LABEL)).isZero();
            assertThat(value(metrics, "vllm:kv_cache_usage_perc" + LABEL)).isZero();
        }
    }

    private static TestHttp.Streamed streamQuietly(URI url, String body) {
        try {
            return TestHttp.stream(url, "/v1/chat/completions", body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Polls /metrics until every sample shows its expected value; returns that page. */
    private static String awaitMetrics(URI url, Map<String, Double> expected) throws Exception {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (true) {
            String page = TestHttp.get(url, "/metrics").body();
            boolean all = expected.entrySet().stream().allMatch(e -> value(page, e.getKey()) == e.getValue());
            if (all || System.nanoTime() > deadline) {
                expected.forEach((sample, value) -> assertThat(value(page, sample)).as(sample).isEqualTo(value));
                return page;
            }
            Thread.sleep(5);
        }
    }

    private static double value(String page, String sample) {
        Matcher m = Pattern.compile("^" + Pattern.quote(sample) + " (\\S+)$", Pattern.MULTILINE).matcher(page);
        assertThat(m.find()).as("sample %s in%n%s", sample, page).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
