package io.infergate.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.emulator.EmulatorOptions;
import io.infergate.emulator.EmulatorServer;
import io.infergate.gateway.config.ConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static io.infergate.gateway.GatewayHarness.MODEL;
import static io.infergate.gateway.GatewayHarness.chat;
import static io.infergate.gateway.ResilienceTest.awaitTrue;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Configuration reloads over real sockets: an endpoint gone from the file drains (its stream finishes)
 * and is removed once idle, a new one joins, a broken file changes nothing, and other changes are
 * reported as needing a restart.
 */
class ConfigReloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final List<EmulatorServer> emulators = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private Gateway gateway;
    private int writes;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        emulators.forEach(EmulatorServer::close);
    }

    @Test
    void endpointsLeaveAfterTheirStreamsFinishAndNewOnesJoin() throws Exception {
        // ep1 runs at real speed so that its stream is still going when the reload comes
        start(20, 1, 20);
        Path file = write("ep0", "ep1");
        gateway = Gateway.start(ConfigLoader.load(file), Optional.of(file));
        HttpResponse<InputStream> stream = streamOn("ep1");

        write("ep0", "ep2");
        HttpResponse<String> reload = post(admin("/admin/reload"));

        assertThat(reload.statusCode()).as(reload.body()).isEqualTo(200);
        JsonNode outcome = JSON.readTree(reload.body());
        assertThat(outcome.path("added").toString()).isEqualTo("[\"ep2\"]");
        assertThat(outcome.path("removed").toString()).isEqualTo("[\"ep1\"]");
        assertThat(outcome.path("restart_required").toString()).isEqualTo("[]");
        awaitTrue(() -> scraped("ep2"), "ep2 scraped");
        List<String> servedBy = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            servedBy.add(send().headers().firstValue("x-infergate-endpoint").orElseThrow());
        }
        assertThat(servedBy).doesNotContain("ep1").contains("ep2");
        assertThat(lifecycle("ep1")).isEqualTo("DRAINING");
        String body;
        try (InputStream in = stream.body()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(OpenAiApiTest.dataEvents(body)).endsWith("[DONE]");
        awaitTrue(() -> lifecycle("ep1") == null, "ep1 removed once idle");
        // Its gauges go; the request history it served stays.
        assertThat(get(admin("/metrics")).body()).doesNotContain("infergate_endpoint_in_flight{endpoint=\"ep1\"")
                .contains("infergate_endpoint_in_flight{endpoint=\"ep2\"");
    }

    @Test
    void theFileIsWatchedAndARemovedEndpointComesBackToItsSlot() throws Exception {
        start(20, 20);
        Path file = write("ep0", "ep1");
        gateway = Gateway.start(ConfigLoader.load(file), Optional.of(file));

        write("ep0");
        awaitTrue(() -> lifecycle("ep1") == null, "ep1 removed after the file changed");
        write("ep0", "ep1");
        awaitTrue(() -> "READY".equals(lifecycle("ep1")) && scraped("ep1"), "ep1 back after the file changed again");

        List<String> servedBy = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            servedBy.add(send().headers().firstValue("x-infergate-endpoint").orElseThrow());
        }
        assertThat(servedBy).contains("ep0", "ep1");
    }

    @Test
    void aBrokenFileChangesNothingAndOtherChangesNeedARestart() throws Exception {
        start(20, 20);
        Path file = write("ep0", "ep1");
        gateway = Gateway.start(ConfigLoader.load(file), Optional.of(file));

        Files.writeString(file, Files.readString(file).replace("pools:", "limits: {max_body_bytes: -1}\npools:"));
        HttpResponse<String> broken = post(admin("/admin/reload"));

        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(broken.body()).path("errors").get(0).asText())
                .startsWith(file + ":").contains("limits.max_body_bytes");
        assertThat(send().statusCode()).isEqualTo(200);

        write("ep0", "ep1");
        Files.writeString(file, Files.readString(file).replace("scrape: {interval_ms: 50}", "scrape: {interval_ms: 60}"));
        HttpResponse<String> restart = post(admin("/admin/reload"));

        assertThat(restart.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(restart.body()).path("restart_required").toString()).isEqualTo("[\"scrape\"]");
    }

    @Test
    void everySectionAppliedAtStartIsReportedWhenItChanges() throws Exception {
        start(20);
        Path file = write("ep0");
        gateway = Gateway.start(ConfigLoader.load(file), Optional.of(file));

        write("ep0");
        Files.writeString(file, Files.readString(file).replace("pools:", "shutdown: {drain_timeout_ms: 1234}\n"
                + "admin: {health_open: false}\npools:"));
        HttpResponse<String> reload = post(admin("/admin/reload"));

        assertThat(reload.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(reload.body()).path("restart_required").toString())
                .isEqualTo("[\"admin\",\"shutdown\"]");
    }

    @Test
    void aPoolsServerPriorityChangeNeedsARestart() throws Exception {
        start(20);
        Path file = write("ep0");
        gateway = Gateway.start(ConfigLoader.load(file), Optional.of(file));

        write("ep0");
        Files.writeString(file, Files.readString(file).replace("- name: test", "- name: test\n    server_priority: lower-first"));
        HttpResponse<String> reload = post(admin("/admin/reload"));

        assertThat(JSON.readTree(reload.body()).path("restart_required").toString())
                .isEqualTo("[\"pool 'test' server_priority\"]");
    }

    @Test
    void aRemovedEndpointThatReturnsChangedNeedsARestart() throws Exception {
        start(20, 20);
        Path file = write("ep0", "ep1");
        gateway = Gateway.start(ConfigLoader.load(file), Optional.of(file));
        write("ep0");
        assertThat(post(admin("/admin/reload")).statusCode()).isEqualTo(200);
        awaitTrue(() -> lifecycle("ep1") == null, "ep1 removed");

        write("ep0", "ep1");
        Files.writeString(file, Files.readString(file).replace("{id: ep1,", "{id: ep1, region: us-east,"));
        HttpResponse<String> reload = post(admin("/admin/reload"));

        assertThat(JSON.readTree(reload.body()).path("restart_required").toString())
                .isEqualTo("[\"endpoint 'ep1' returns changed\"]");
        assertThat(lifecycle("ep1")).isNull();
    }

    private void start(double... speeds) {
        for (int i = 0; i < speeds.length; i++) {
            emulators.add(EmulatorServer.start(EmulatorOptions.builder().host("127.0.0.1").port(0).speed(speeds[i])
                    .seed(i).models(List.of(MODEL)).build()));
        }
    }

    /** Writes the configuration file listing the endpoints {@code ids} ({@code epN} is emulator N). */
    private Path write(String... ids) throws Exception {
        StringBuilder yaml = new StringBuilder()
                .append("listen: {host: 127.0.0.1, port: 0, admin_port: 0}\n")
                .append("scrape: {interval_ms: 50}\n")
                .append("pools:\n  - name: test\n    models: [").append(MODEL).append("]\n    endpoints:\n");
        for (String id : ids) {
            int index = Integer.parseInt(id.substring(2));
            yaml.append("      - {id: ").append(id).append(", url: \"").append(emulators.get(index).url()).append("\"}\n");
        }
        Path file = dir.resolve("infergate.yaml");
        Files.writeString(file, yaml);
        // A new modification time for the watcher, however coarse the file system's clock.
        Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + ++writes * 1000L));
        return file;
    }

    /** Opens streams until one lands on {@code endpointId}, closing the others. */
    private HttpResponse<InputStream> streamOn(String endpointId) throws Exception {
        return GatewayHarness.streamOn(http, data("/v1/chat/completions"), endpointId);
    }

    private HttpResponse<String> send() throws Exception {
        return http.send(HttpRequest.newBuilder(data("/v1/chat/completions")).timeout(Duration.ofSeconds(30))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(chat("hi", 2, false))).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The lifecycle /admin/endpoints shows for {@code id}, or null when it is not listed. */
    private String lifecycle(String id) {
        JsonNode load = load(id);
        return load == null ? null : load.path("lifecycle").asText();
    }

    /** Whether {@code id}'s figures come from a fresh scrape: until then, new endpoints are not preferred. */
    private boolean scraped(String id) {
        JsonNode load = load(id);
        return load != null && !load.path("stale").asBoolean(true);
    }

    private JsonNode load(String id) {
        try {
            for (JsonNode entry : JSON.readTree(get(admin("/admin/endpoints")).body())) {
                if (entry.path("endpoint").path("id").asText().equals(id)) {
                    return entry.path("load");
                }
            }
            return null;
        } catch (Exception e) {
            throw new IllegalStateException("could not read /admin/endpoints: " + e.getMessage(), e);
        }
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI data(String path) {
        return URI.create("http://127.0.0.1:" + gateway.port() + path);
    }

    private URI admin(String path) {
        return URI.create("http://127.0.0.1:" + gateway.adminPort() + path);
    }
}
