package io.infergate.gateway;

import io.infergate.emulator.EmulatorOptions;
import io.infergate.emulator.EmulatorServer;
import io.infergate.gateway.config.ConfigLoader;
import org.junit.jupiter.api.Test;

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
import java.util.concurrent.atomic.AtomicLong;

import static io.infergate.gateway.GatewayHarness.MODEL;
import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Load awareness measured, not assumed: the same fleet (one endpoint four times slower than the other
 * three) and the same concurrent traffic, once through a load-aware gateway and once through a
 * round-robin gateway, in one run.
 */
class LoadAwarenessTest {

    private static final int WORKERS = 16;
    private static final int REQUESTS_PER_WORKER = 12;

    record RunResult(Map<String, Integer> servedBy, double meanLatencyMillis, int failures) {
        double share(String endpoint) {
            int total = servedBy.values().stream().mapToInt(Integer::intValue).sum();
            return servedBy.getOrDefault(endpoint, 0) / (double) total;
        }
    }

    @Test
    void loadAwarePickingSendsLessToTheSlowEndpointAndLowersMeanLatency() throws Exception {
        List<EmulatorServer> fleet = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                double speed = i == 3 ? 2.5 : 10; // ep3 is four times slower
                fleet.add(EmulatorServer.start(EmulatorOptions.builder().host("127.0.0.1").port(0)
                        .speed(speed).seed(i).models(List.of(MODEL)).build()));
            }

            run(fleet, "round-robin"); // warm-up: neither measured run should pay for the JIT
            RunResult roundRobin = run(fleet, "round-robin");
            RunResult loadAware = run(fleet, "load-aware");

            System.out.printf("round-robin: %s mean %.1f ms; load-aware: %s mean %.1f ms%n",
                    roundRobin.servedBy(), roundRobin.meanLatencyMillis(),
                    loadAware.servedBy(), loadAware.meanLatencyMillis());
            assertThat(roundRobin.failures()).isZero();
            assertThat(loadAware.failures()).isZero();
            assertThat(roundRobin.share("ep3")).isBetween(0.20, 0.30);
            assertThat(loadAware.share("ep3")).as("slow endpoint's share under load-aware picking")
                    .isLessThan(0.18);
            // How much faster is a measurement (docs/benchmarks.md), not asserted here; slower would be a bug.
            assertThat(loadAware.meanLatencyMillis()).isLessThan(roundRobin.meanLatencyMillis());
        } finally {
            fleet.forEach(EmulatorServer::close);
        }
    }

    private static RunResult run(List<EmulatorServer> fleet, String scheduler) throws Exception {
        StringBuilder yaml = new StringBuilder("listen: {host: 127.0.0.1, port: 0, admin_port: 0}\n"
                + "scrape: {interval_ms: 100}\nrouting: {scheduler: " + scheduler + "}\n"
                // The slow endpoint is 4x slower: keep the outlier detector from ejecting it, this test
                // measures the picker alone.
                + "health: {latency_factor: 100}\n"
                + "pools:\n  - name: p\n    type: vllm\n    models: [" + MODEL + "]\n    endpoints:\n");
        for (int i = 0; i < fleet.size(); i++) {
            yaml.append("      - {id: ep").append(i).append(", url: \"").append(fleet.get(i).url()).append("\"}\n");
        }
        Map<String, Integer> servedBy = new ConcurrentHashMap<>();
        AtomicLong totalMillis = new AtomicLong();
        AtomicLong failures = new AtomicLong();
        try (Gateway gateway = Gateway.start(ConfigLoader.parse(yaml.toString(), scheduler + ".yaml"));
             HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
             ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
            URI uri = URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions");
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < WORKERS; w++) {
                int worker = w;
                done.add(workers.submit(() -> {
                    for (int r = 0; r < REQUESTS_PER_WORKER; r++) {
                        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                                .header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(chat("w" + worker + " r" + r, 32, false)))
                                .build();
                        long start = System.nanoTime();
                        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                        totalMillis.addAndGet((System.nanoTime() - start) / 1_000_000);
                        if (response.statusCode() != 200) {
                            failures.incrementAndGet();
                        }
                        servedBy.merge(response.headers().firstValue("x-infergate-endpoint").orElse("none"), 1,
                                Integer::sum);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        }
        double mean = totalMillis.get() / (double) (WORKERS * REQUESTS_PER_WORKER);
        return new RunResult(Map.copyOf(servedBy), mean, (int) failures.get());
    }
}
