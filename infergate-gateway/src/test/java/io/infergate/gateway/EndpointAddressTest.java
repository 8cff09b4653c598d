package io.infergate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.infergate.gateway.config.ConfigLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Endpoints cannot be turned into a weapon, over real sockets: {@code POST /admin/endpoints}, a
 * configuration reload and an autoscaler's provider are refused link-local and cloud-metadata addresses
 * in every spelling and addresses outside a pool's {@code allowed_endpoints}; a redirect from an endpoint
 * is never followed, by the proxy, the scraper or the prober.
 */
class EndpointAddressTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration AWAIT = Duration.ofSeconds(15);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    static Path dir;
    private static Gateway gateway;

    @BeforeAll
    static void start() throws Exception {
        gateway = Gateway.start(ConfigLoader.parse("""
                listen: {host: 127.0.0.1, port: 0, admin_port: 0}
                pools:
                  - name: open
                    models: [m]
                    endpoints: [{id: first, url: "http://127.0.0.1:9"}]
                  - name: fenced
                    models: [f]
                    allowed_endpoints: [127.0.0.0/8, "fd00::/8", %s]
                    endpoints: [{id: fenced-first, url: "http://127.0.0.1:10"}]
                """.formatted(TestHostNames.LOOPBACK_ALIAS), "weapons.yaml"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "http://169.254.169.254:80         | 169.254.169.254 is link-local",
            "http://2852039166:80              | '2852039166' is an IPv4 address not written in dotted decimal",
            "http://0xa9fea9fe                 | '0xa9fea9fe' is an IPv4 address not written in dotted decimal",
            "http://0251.0376.0251.0376        | '0251.0376.0251.0376' is an IPv4 address not written in dotted",
            "http://0251.254.169.254           | '0251.254.169.254' is an IPv4 address not written in dotted decimal",
            "http://[fe80::1]:8000             | fe80::1 is IPv6 link-local",
            "http://[fd00:ec2::254]            | fd00:ec2::254 is the AWS metadata service over IPv6",
            "http://[::ffff:169.254.169.254]   | 169.254.169.254 is link-local",
            "http://[::ffff:a9fe:a9fe]         | 169.254.169.254 is link-local",
            "http://metadata.google.internal   | 'metadata.google.internal' is a cloud metadata service's host name",
            "http://instance-data:80           | 'instance-data' is a cloud metadata service's host name",
            "http://metadata-alias.infergate.test    | 'metadata-alias.infergate.test' resolves to 169.254.169.254, which"})
    void refusesEachFormOfTheMetadataAddressWithA400NamingTheField(String url, String reason) throws Exception {
        HttpResponse<String> response = postEndpoint(endpoint("open", "evil", url));

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = JSON.readTree(response.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("invalid_endpoint");
        assertThat(error.get("message").asText()).contains(": url: ", reason);
        assertThat(endpointIds()).doesNotContain("evil");
    }

    @Test
    void refusesAMetricsUrlAtTheMetadataAddress() throws Exception {
        HttpResponse<String> response = postEndpoint("{\"pool\":\"open\",\"id\":\"scraped-elsewhere\","
                + "\"url\":\"http://127.0.0.1:11\",\"metrics_url\":\"http://169.254.169.254/latest/meta-data\"}");

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.body()).contains("metrics_url: expected an address this pool may reach, found "
                + "'http://169.254.169.254/latest/meta-data': 169.254.169.254 is link-local");
    }

    @Test
    void aPoolsAllowListAdmitsMatchingEndpointsOnly() throws Exception {
        HttpResponse<String> outside = postEndpoint(endpoint("fenced", "outside", "http://10.0.0.9:8000"));
        HttpResponse<String> byRange = postEndpoint(endpoint("fenced", "by-range", "http://127.0.0.2:8000"));
        HttpResponse<String> byName = postEndpoint(endpoint("fenced", "by-name",
                "http://" + TestHostNames.LOOPBACK_ALIAS + ":8000"));
        HttpResponse<String> sameAddressOtherPool = postEndpoint(endpoint("open", "open-10", "http://10.0.0.9:8000"));

        assertThat(outside.statusCode()).isEqualTo(400);
        assertThat(outside.body()).contains("url: expected an address this pool may reach, found "
                + "'http://10.0.0.9:8000': 10.0.0.9 is not in the pool's allowed_endpoints [127.0.0.0/8, fd00::/8, "
                + TestHostNames.LOOPBACK_ALIAS + "]");
        assertThat(byRange.statusCode()).isEqualTo(201);
        assertThat(byName.statusCode()).isEqualTo(201);
        assertThat(sameAddressOtherPool.statusCode()).isEqualTo(201); // the pool without a list takes it
        assertThat(endpointIds()).contains("by-range", "by-name", "open-10").doesNotContain("outside");
    }

    @Test
    void aReloadAddingAMetadataEndpointIsRefusedAndChangesNothing() throws Exception {
        Path file = dir.resolve("reload.yaml");
        String config = """
                listen: {host: 127.0.0.1, port: 0, admin_port: 0}
                pools:
                  - name: p
                    models: [m]
                    endpoints:
                      - {id: kept, url: "http://127.0.0.1:9"}
                """;
        Files.writeString(file, config);
        try (Gateway reloading = Gateway.start(ConfigLoader.load(file), Optional.of(file))) {
            Files.writeString(file, config + "      - {id: stolen, url: \"http://"
                    + TestHostNames.METADATA_ALIAS + "\"}\n");

            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + reloading.adminPort() + "/admin/reload"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(400);
            assertThat(JSON.readTree(response.body()).get("errors").get(0).asText()).isEqualTo(file
                    + ":7:27: pools[0].endpoints[1].url: expected an address this pool may reach, found 'http://"
                    + TestHostNames.METADATA_ALIAS + "': '" + TestHostNames.METADATA_ALIAS + "' resolves to "
                    + "169.254.169.254, which is link-local, where cloud metadata services answer (169.254.169.254); "
                    + "refused unless the pool's allowed_endpoints lists a range inside 169.254.0.0/16");
            assertThat(reloading.fleet().snapshot().endpoints()).extracting(e -> e.id()).containsExactly("kept");
        }
    }

    @Test
    void aNodeAnAutoscalerProviderStartsAtTheMetadataAddressIsRefusedAndStopped() throws Exception {
        Path script = dir.resolve("scale.sh");
        Files.writeString(script, "#!/bin/sh\n[ \"$1\" = add ] && echo '{\"url\":\"http://169.254.169.254:80\"}'\n"
                + "[ \"$1\" = release ] && echo \"$2\" >> \"" + dir.resolve("released") + "\"\nexit 0\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1).topLevel("""
                autoscaler:
                  pool: test
                  provider: {type: command, command: %s}
                  min_nodes: 2
                  interval_ms: 100
                """.formatted(script)).start()) {
            long deadline = System.nanoTime() + AWAIT.toNanos();
            Path released = dir.resolve("released");
            while (!Files.exists(released) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }

            assertThat(released).content().startsWith("test-auto-1");
            assertThat(harness.gateway.fleet().snapshot().endpoints()).extracting(e -> e.id()).containsExactly("ep0");
            assertThat(harness.get(harness.adminUrl("/metrics")).body())
                    .containsPattern("infergate_autoscaler_start_failures_total\\{pool=\"test\"} [1-9]");
        }
    }

    @Test
    void aRedirectFromAnEndpointIsNeverFollowed() throws Exception {
        AtomicInteger trapped = new AtomicInteger();
        HttpServer trap = server(exchange -> {
            trapped.incrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        List<String> asked = new CopyOnWriteArrayList<>();
        HttpServer redirecting = server(exchange -> {
            asked.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("location", "http://127.0.0.1:" + trap.getAddress().getPort() + "/x");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
        });
        try (GatewayHarness harness = GatewayHarness.builder()
                .extraEndpoints("      - {id: redirecting, url: \"http://127.0.0.1:"
                        + redirecting.getAddress().getPort() + "\"}\n")
                .topLevel("health: {probe_interval_ms: 50}\n").start()) {
            HttpResponse<String> chat = harness.post("/v1/chat/completions", GatewayHarness.chat("hi", 4, false));
            long deadline = System.nanoTime() + AWAIT.toNanos();
            while (!(asked.contains("GET /metrics") && asked.contains("GET /health")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }

            assertThat(asked).contains("POST /v1/chat/completions", "GET /metrics", "GET /health");
            assertThat(chat.statusCode()).isEqualTo(302); // relayed to the client as it came
            assertThat(trapped).hasValue(0);
        } finally {
            redirecting.stop(0);
            trap.stop(0);
        }
    }

    private static HttpServer server(com.sun.net.httpserver.HttpHandler handler) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", handler);
        server.start();
        return server;
    }

    private static URI adminUrl(String path) {
        return URI.create("http://127.0.0.1:" + gateway.adminPort() + path);
    }

    private static String endpoint(String pool, String id, String url) {
        return "{\"pool\":\"" + pool + "\",\"id\":\"" + id + "\",\"url\":\"" + url + "\"}";
    }

    private static HttpResponse<String> postEndpoint(String body) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(adminUrl("/admin/endpoints")).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<String> endpointIds() throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(adminUrl("/admin/endpoints")).build(),
                HttpResponse.BodyHandlers.ofString());
        List<String> ids = new CopyOnWriteArrayList<>();
        JSON.readTree(response.body()).forEach(entry -> ids.add(entry.get("endpoint").get("id").asText()));
        return ids;
    }
}
