package io.infergate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.emulator.EmulatorOptions;
import io.infergate.emulator.EmulatorServer;
import io.infergate.emulator.Flavor;
import io.infergate.gateway.config.ConfigLoader;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A gateway in front of an SGLang, a TGI and a Triton server (emulated, each in its own pool of that
 * type, the Triton one with a DCGM exporter) sees each server's queue and batch on
 * {@code /admin/endpoints}, read from each server's own metric names, and exports the GPU figures.
 */
class ServerTypesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<Flavor> FLAVORS = List.of(Flavor.SGLANG, Flavor.TGI, Flavor.TRITON);

    @Test
    void theGatewaySeesWaitingAndRunningOfEveryServerType() throws Exception {
        List<EmulatorServer> servers = new ArrayList<>();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            // flow control off: the servers' own queues fill, whatever batch the gateway learns
            StringBuilder yaml = new StringBuilder("listen: {host: 127.0.0.1, port: 0, admin_port: 0}\n"
                    + "scrape: {interval_ms: 50}\nflow_control: {enabled: false}\npools:\n");
            for (Flavor flavor : FLAVORS) {
                EmulatorServer server = EmulatorServer.start(EmulatorOptions.builder().flavor(flavor)
                        .dcgm(flavor == Flavor.TRITON).maxNumSeqs(2).decodeStepMillis(50).speed(1)
                        .models(List.of(model(flavor))).build());
                servers.add(server);
                String name = flavor.configName();
                yaml.append("  - {name: ").append(name).append(", type: ").append(name)
                        .append(", models: [").append(model(flavor)).append("], endpoints: [{id: ").append(name)
                        .append("-0, url: \"").append(server.url()).append('"');
                if (flavor == Flavor.TRITON) {
                    yaml.append(", gpu_metrics_url: \"").append(server.url()).append("/metrics\"");
                }
                yaml.append("}]}\n");
            }

            try (Gateway gateway = Gateway.start(ConfigLoader.parse(yaml.toString(), "server-types.yaml"))) {
                URI chat = URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions");
                for (Flavor flavor : FLAVORS) {
                    for (int i = 0; i < 6; i++) {
                        http.sendAsync(HttpRequest.newBuilder(chat).header("content-type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model(flavor)
                                        + "\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"q" + i
                                        + "\"}]}")).build(), HttpResponse.BodyHandlers.discarding());
                    }
                }
                URI admin = URI.create("http://127.0.0.1:" + gateway.adminPort());

                Map<String, JsonNode> loads = awaitLoads(http, admin.resolve("/admin/endpoints"));

                for (Flavor flavor : FLAVORS) {
                    JsonNode load = loads.get(flavor.configName() + "-0");
                    assertThat(load.path("running").asInt()).as(flavor + " running, in " + load).isEqualTo(2);
                    assertThat(load.path("waiting").asInt()).as(flavor + " waiting, in " + load).isBetween(1, 4);
                    assertThat(load.path("stale").asBoolean()).isFalse();
                }
                assertThat(loads.get("triton-0").path("gpuUtilisation").asDouble()).as("GPU utilisation").isPositive();
                String metrics = http.send(HttpRequest.newBuilder(admin.resolve("/metrics")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(gauge(metrics, "infergate_endpoint_gpu_memory_bandwidth_utilisation", "triton-0"))
                        .isPositive();
                assertThat(gauge(metrics, "infergate_endpoint_gpu_framebuffer_usage", "triton-0"))
                        .isCloseTo(0.9, within(0.001));
                assertThat(gauge(metrics, "infergate_endpoint_gpu_framebuffer_used_bytes", "triton-0"))
                        .isEqualTo(Math.round(81_920 * 0.9) * 1024.0 * 1024.0);
                assertThat(gauge(metrics, "infergate_endpoint_gpu_framebuffer_usage", "tgi-0")).as("no GPU figures").isNaN();

                // each server's batch of two, learnt from what it exports (SGLang) or from its running count's plateau
                Map<String, String> capacities = awaitCapacities(http, admin.resolve("/admin/endpoints"));
                assertThat(capacities).containsEntry("sglang-0", "2 EXPORTED").containsEntry("tgi-0", "2 OBSERVED")
                        .containsEntry("triton-0", "2 OBSERVED");
            }
        } finally {
            servers.forEach(EmulatorServer::close);
        }
    }

    private static String model(Flavor flavor) {
        return "llama-on-" + flavor.configName();
    }

    /** Polls the admin API until every endpoint shows two running and some waiting, at most ten seconds. */
    private static Map<String, JsonNode> awaitLoads(HttpClient http, URI endpoints) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            Map<String, JsonNode> loads = new HashMap<>();
            for (JsonNode entry : JSON.readTree(http.send(HttpRequest.newBuilder(endpoints).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body())) {
                loads.put(entry.path("endpoint").path("id").asText(), entry.path("load"));
            }
            boolean busy = loads.values().stream()
                    .allMatch(l -> l.path("running").asInt() == 2 && l.path("waiting").asInt() > 0);
            boolean gpuSeen = loads.get("triton-0").path("gpuUtilisation").asDouble() > 0;
            if (busy && gpuSeen || System.nanoTime() > deadline) {
                return loads;
            }
            Thread.sleep(20);
        }
    }

    /** Polls the admin API until every endpoint's batch capacity is known, at most ten seconds; "requests SOURCE" by id. */
    private static Map<String, String> awaitCapacities(HttpClient http, URI endpoints) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            Map<String, String> capacities = new HashMap<>();
            for (JsonNode entry : JSON.readTree(http.send(HttpRequest.newBuilder(endpoints).GET().build(),
                    HttpResponse.BodyHandlers.ofString()).body())) {
                JsonNode capacity = entry.path("capacity");
                capacities.put(entry.path("endpoint").path("id").asText(),
                        capacity.path("requests").asInt() + " " + capacity.path("source").asText());
            }
            if (capacities.values().stream().noneMatch(c -> c.endsWith("UNKNOWN")) || System.nanoTime() > deadline) {
                return capacities;
            }
            Thread.sleep(20);
        }
    }

    private static double gauge(String metrics, String name, String endpoint) {
        Matcher m = Pattern.compile("^" + name + "\\{endpoint=\"" + endpoint + "\"[^}]*} (\\S+)$", Pattern.MULTILINE)
                .matcher(metrics);
        assertThat(m.find()).as("%s of %s in%n%s", name, endpoint, metrics).isTrue();
        return Double.parseDouble(m.group(1));
    }
}
