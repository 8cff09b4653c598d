package io.infergate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.emulator.EmulatorOptions;
import io.infergate.emulator.EmulatorServer;
import io.infergate.gateway.config.ConfigException;
import io.infergate.gateway.config.ConfigLoader;
import io.infergate.gateway.config.GatewayConfig;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A gateway in front of emulated vLLM servers, all in-process on free loopback ports, and a plain JDK
 * HTTP client to talk to it. Closing it stops everything.
 */
final class GatewayHarness implements AutoCloseable {

    static final String MODEL = "llama-3.1-8b-instruct";
    private static final ObjectMapper JSON = new ObjectMapper();

    final List<EmulatorServer> emulators = new ArrayList<>();
    final GatewayConfig config;
    final Gateway gateway;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private GatewayHarness(List<EmulatorServer> emulators, String extraEndpointsYaml, String scheduler,
                           String extraTopLevelYaml, List<ExtraPool> extraPools, String extraListenYaml,
                           long scrapeIntervalMillis) {
        this.emulators.addAll(emulators);
        StringBuilder yaml = new StringBuilder()
                .append("listen: {host: 127.0.0.1, port: 0, admin_port: 0").append(extraListenYaml).append("}\n")
                .append("scrape: {interval_ms: ").append(scrapeIntervalMillis)
                .append(", stale_after_ms: ").append(Math.max(2000, 2 * scrapeIntervalMillis)).append("}\n")
                .append("routing: {scheduler: ").append(scheduler).append("}\n")
                .append(extraTopLevelYaml)
                .append("pools:\n")
                .append("  - name: test\n")
                .append("    type: vllm\n")
                .append("    models: [").append(MODEL).append("]\n")
                .append("    endpoints:\n");
        for (int i = 0; i < emulators.size(); i++) {
            yaml.append("      - {id: ep").append(i).append(", url: \"").append(emulators.get(i).url())
                    .append("\"}\n");
        }
        yaml.append(extraEndpointsYaml);
        for (ExtraPool pool : extraPools) {
            yaml.append("  - name: ").append(pool.name()).append("\n")
                    .append("    models: [").append(pool.model()).append("]\n")
                    .append("    endpoints:\n");
            for (EmulatorServer emulator : pool.emulators()) {
                yaml.append("      - {id: ").append(pool.name()).append(pool.emulators().indexOf(emulator))
                        .append(", url: \"").append(emulator.url()).append("\"}\n");
            }
            this.emulators.addAll(pool.emulators());
        }
        try {
            this.config = ConfigLoader.parse(yaml.toString(), "harness.yaml");
        } catch (ConfigException e) {
            throw new IllegalArgumentException("harness wrote an invalid config:\n" + e.getMessage() + "\n" + yaml, e);
        }
        this.gateway = Gateway.start(config);
    }

    static Builder builder() {
        return new Builder();
    }

    /** A second pool serving another model; its emulators follow the first pool's in {@link #emulators}. */
    private record ExtraPool(String name, String model, List<EmulatorServer> emulators) {
    }

    private record PoolSpec(String name, String model, int size) {
    }

    static final class Builder {
        private final List<UnaryOperator<EmulatorOptions.Builder>> emulators = new ArrayList<>();
        private String extraEndpoints = "";
        private String extraTopLevel = "";
        private String extraListen = "";
        private String scheduler = "load-aware";
        private long scrapeIntervalMillis = 50;
        private final List<PoolSpec> pools = new ArrayList<>();

        /** Adds an emulated endpoint (speed 20, the harness model) customised by {@code options}. */
        Builder emulator(UnaryOperator<EmulatorOptions.Builder> options) {
            emulators.add(options);
            return this;
        }

        Builder emulators(int count) {
            for (int i = 0; i < count; i++) {
                emulator(o -> o);
            }
            return this;
        }

        /** Adds endpoint entries verbatim (YAML list items indented by six spaces). */
        Builder extraEndpoints(String yaml) {
            extraEndpoints += yaml;
            return this;
        }

        Builder topLevel(String yaml) {
            extraTopLevel += yaml;
            return this;
        }

        /** Adds entries to the {@code listen:} flow mapping, e.g. {@code ", tls: {cert: a.pem, key: b.pem}"}. */
        Builder listen(String yaml) {
            extraListen += yaml;
            return this;
        }

        /** Adds a pool {@code name} of {@code count} emulated endpoints serving {@code model}, ids {@code name0...}. */
        Builder pool(String name, String model, int count) {
            pools.add(new PoolSpec(name, model, count));
            return this;
        }

        Builder scrapeIntervalMillis(long millis) {
            this.scrapeIntervalMillis = millis;
            return this;
        }

        Builder scheduler(String scheduler) {
            this.scheduler = scheduler;
            return this;
        }

        GatewayHarness start() {
            List<EmulatorServer> started = new ArrayList<>();
            List<EmulatorServer> allStarted = new ArrayList<>();
            try {
                for (UnaryOperator<EmulatorOptions.Builder> customise : emulators) {
                    started.add(EmulatorServer.start(customise.apply(EmulatorOptions.builder()
                            .host("127.0.0.1").port(0).speed(20).seed(started.size())
                            .models(List.of(MODEL))).build()));
                    allStarted.add(started.getLast());
                }
                List<ExtraPool> extraPools = new ArrayList<>();
                for (PoolSpec pool : pools) {
                    List<EmulatorServer> members = new ArrayList<>();
                    for (int i = 0; i < pool.size(); i++) {
                        members.add(EmulatorServer.start(EmulatorOptions.builder().host("127.0.0.1").port(0)
                                .speed(20).seed(100 + i).models(List.of(pool.model())).build()));
                        allStarted.add(members.getLast());
                    }
                    extraPools.add(new ExtraPool(pool.name(), pool.model(), members));
                }
                return new GatewayHarness(started, extraEndpoints, scheduler, extraTopLevel, extraPools, extraListen,
                        scrapeIntervalMillis);
            } catch (RuntimeException e) {
                allStarted.forEach(EmulatorServer::close);
                throw e;
            }
        }
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    URI adminUrl(String path) {
        return URI.create("http://127.0.0.1:" + gateway.adminPort() + path);
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(url(path)).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Endpoint {@code slot}'s entry in {@code GET /admin/endpoints}: its identity, load and in-flight count. */
    JsonNode endpoint(int slot) {
        try {
            return JSON.readTree(get(adminUrl("/admin/endpoints")).body()).get(slot);
        } catch (Exception e) {
            throw new IllegalStateException("could not read /admin/endpoints: " + e.getMessage(), e);
        }
    }

    /** A streamed chat that landed on {@code endpointId}, still going; others are tried and closed first. */
    static HttpResponse<InputStream> streamOn(HttpClient http, URI chatUrl, String endpointId) throws Exception {
        for (int i = 0; i < 20; i++) {
            HttpResponse<InputStream> stream = http.send(HttpRequest.newBuilder(chatUrl)
                    .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(chat("a long story", 60, true))).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (stream.headers().firstValue("x-infergate-endpoint").orElseThrow().equals(endpointId)) {
                return stream;
            }
            stream.body().close();
        }
        throw new AssertionError("no stream landed on " + endpointId);
    }

    static String chat(String content, int maxTokens, boolean stream) {
        return "{\"model\":\"" + MODEL + "\",\"max_tokens\":" + maxTokens + ",\"stream\":" + stream
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
    }

    @Override
    public void close() {
        gateway.close();
        emulators.forEach(EmulatorServer::close);
    }
}
