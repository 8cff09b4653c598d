package io.infergate.loadgen.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.infergate.loadgen.report.ReportJson;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reads the gateway's {@code /admin/autoscaler} on a fixed interval during an {@code autoscale} run and
 * keeps one {@link ScalingSample} per read. A read that fails is skipped.
 *
 * <pre>{@code
 * try (ScalingSampler sampler = ScalingSampler.start(URI.create("http://127.0.0.1:8081/admin/autoscaler"),
 *         Duration.ofMillis(100))) {
 *     ... run the load ...
 *     List<ScalingSample> samples = sampler.samples();
 * }
 * }</pre>
 */
final class ScalingSampler implements AutoCloseable {

    private final URI url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final List<ScalingSample> samples = new CopyOnWriteArrayList<>();
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("scaling-sampler").factory());
    private final long startNanos = System.nanoTime();

    private ScalingSampler(URI url) {
        this.url = url;
    }

    /** Starts sampling now; seconds in the samples count from this call. */
    static ScalingSampler start(URI url, Duration interval) {
        ScalingSampler sampler = new ScalingSampler(url);
        sampler.timer.scheduleAtFixedRate(sampler::sample, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        return sampler;
    }

    List<ScalingSample> samples() {
        return List.copyOf(samples);
    }

    private void sample() {
        double second = (System.nanoTime() - startNanos) / 1e9;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(1)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                return;
            }
            JsonNode pool = ReportJson.MAPPER.readTree(response.body()).path("pools").path(0);
            Map<String, Double> ages = new HashMap<>();
            int ready = 0;
            for (JsonNode node : pool.path("nodes")) {
                String state = node.path("state").asText();
                if (state.equals("ready")) {
                    ready++;
                }
                if (!state.equals("draining")) {
                    ages.put(node.path("id").asText(), node.path("age_s").asDouble());
                }
            }
            JsonNode utilisation = pool.path("utilisation");
            samples.add(new ScalingSample(second, pool.path("committed_nodes").asInt(), ready,
                    utilisation.isNumber() ? utilisation.asDouble() : Double.NaN, pool.path("queue").asInt(), ages));
        } catch (IOException e) {
            // the gateway did not answer this time: the next read will
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        http.close();
    }
}
