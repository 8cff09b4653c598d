package io.infergate.gateway.fleet;

import io.infergate.emulator.EmulatorOptions;
import io.infergate.emulator.EmulatorServer;
import io.infergate.emulator.Flavor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * Each emulator flavour's page, read over a real socket by the gateway's own parser and mapping, shows
 * what the emulated engine is doing: two requests running and four queued on a server that runs two at
 * a time, KV cache in use, prefix-cache hits on a shared system prompt, and the GPU busy.
 */
class FlavorScrapeTest {

    private static final String MODEL = "llama-3.1-8b-instruct";
    private static final String SYSTEM_PROMPT = "You are a careful assistant. Answer briefly. ".repeat(16);
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Test
    void everyFlavoursPageMapsOntoTheEnginesFiguresUnderLoad() throws Exception {
        Map<Flavor, EmulatorServer> servers = new EnumMap<>(Flavor.class);
        try {
            for (Flavor flavor : Flavor.values()) {
                servers.put(flavor, EmulatorServer.start(EmulatorOptions.builder().flavor(flavor).dcgm(true)
                        .prefixCaching(true).maxNumSeqs(2).decodeStepMillis(50).speed(1).models(List.of(MODEL))
                        .build()));
            }
            for (EmulatorServer server : servers.values()) {
                for (int i = 0; i < 6; i++) {
                    send(server.url(), i);
                }
            }

            for (Flavor flavor : Flavor.values()) {
                MetricMapping mapping = MetricMapping.forServerType(flavor.configName());
                URI metrics = servers.get(flavor).url().resolve("/metrics");
                LoadFigures busy = await(metrics, mapping, f -> f.get(LoadFigure.WAITING) == 4
                        && f.get(LoadFigure.RUNNING) == 2);

                assertThat(busy.get(LoadFigure.WAITING)).as(flavor + " waiting").isEqualTo(4);
                assertThat(busy.get(LoadFigure.RUNNING)).as(flavor + " running").isEqualTo(2);
                if (flavor != Flavor.TGI) {
                    assertThat(busy.get(LoadFigure.KV_CACHE_USAGE)).as(flavor + " KV cache").isBetween(0.0, 1.0).isPositive();
                }
                if (flavor == Flavor.VLLM || flavor == Flavor.SGLANG) {
                    assertThat(busy.get(LoadFigure.PREFIX_CACHE_HIT_RATE)).as(flavor + " prefix hits").isBetween(0.3, 1.0);
                }
                if (flavor == Flavor.TRITON) {
                    assertThat(busy.get(LoadFigure.GPU_UTILISATION)).as("nv_gpu_utilization").isPositive();
                    assertThat(busy.get(LoadFigure.GPU_FRAMEBUFFER_USAGE)).isCloseTo(0.9, within(0.001));
                }
                LoadFigures gpus = await(metrics, MetricMapping.DCGM_EXPORTER,
                        f -> f.get(LoadFigure.GPU_UTILISATION) >= 0.1);
                assertThat(gpus.get(LoadFigure.GPU_UTILISATION)).as(flavor + " DCGM utilisation").isBetween(0.1, 1.0);
                assertThat(gpus.get(LoadFigure.GPU_MEMORY_BANDWIDTH)).as(flavor + " DRAM activity").isBetween(0.01, 1.0);
                assertThat(gpus.get(LoadFigure.GPU_FRAMEBUFFER_USAGE)).isCloseTo(0.9, within(0.001));
            }
        } finally {
            servers.values().forEach(EmulatorServer::close);
        }
    }

    /** A chat of 100 tokens (five seconds at 50 ms a step) after the shared system prompt; not awaited. */
    private void send(URI server, int i) {
        String body = "{\"model\":\"" + MODEL + "\",\"max_tokens\":100,\"messages\":["
                + "{\"role\":\"system\",\"content\":\"" + SYSTEM_PROMPT + "\"},"
                + "{\"role\":\"user\",\"content\":\"question " + i + "\"}]}";
        http.sendAsync(HttpRequest.newBuilder(server.resolve("/v1/chat/completions"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
    }

    /** Scrapes until the figures satisfy {@code done} (or patience runs out) and returns the last ones. */
    private LoadFigures await(URI metrics, MetricMapping mapping, Predicate<LoadFigures> done)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        MetricSamples before = MetricSamples.NONE;
        while (true) {
            MetricSamples now = PrometheusText.parse(http.send(HttpRequest.newBuilder(metrics).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            LoadFigures figures = mapping.read(now, before);
            if (done.test(figures) || System.nanoTime() > deadline) {
                return figures;
            }
            before = now;
            Thread.sleep(20);
        }
    }
}
