package io.infergate.cli;

import io.infergate.emulator.EmulatedFleet;
import io.infergate.gateway.Gateway;
import io.infergate.gateway.config.ConfigLoader;
import io.infergate.gateway.config.GatewayConfig;
import io.infergate.loadgen.bench.GatewayLaunch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {

    @Test
    void demoFleetInEveryRegionBehindTheGatewayServesStreamedChats() throws Exception {
        DemoCommand demo = new DemoCommand();
        new CommandLine(demo).parseArgs("--port", "0", "--admin-port", "0", "--speed", "20");
        try (EmulatedFleet fleet = EmulatedFleet.demo(20)) {
            GatewayConfig config = ConfigLoader.parse(demo.configFor(fleet), "demo.yaml");

            assertThat(config.endpoints()).hasSizeGreaterThanOrEqualTo(4);
            assertThat(config.endpoints()).extracting(e -> e.region()).contains("eu-west", "us-east", "edge-paris");
            try (Gateway gateway = Gateway.start(config);
                 HttpClient http = HttpClient.newHttpClient()) {
                Set<String> servedBy = new HashSet<>();
                for (int i = 0; i < 8; i++) {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                            .timeout(Duration.ofSeconds(30))
                            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + DemoCommand.MODEL
                                    + "\",\"stream\":true,\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                            .build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(response.statusCode()).isEqualTo(200);
                    assertThat(response.body()).endsWith("data: [DONE]\n\n");
                    servedBy.add(response.headers().firstValue("x-infergate-endpoint").orElseThrow());
                }
                // one at a time on an idle fleet, predicted-latency sends most to its fastest GPU: no spread to assert
                assertThat(servedBy).isNotEmpty().isSubsetOf(config.endpoints().stream().map(e -> e.id()).toList());
            }
        }
    }

    @Test
    void ctrlCDuringAStreamLetsItFinishThenTheDemoExits(@TempDir Path dir) throws Exception {
        int port;
        int adminPort;
        try (ServerSocket data = new ServerSocket(0); ServerSocket admin = new ServerSocket(0)) {
            port = data.getLocalPort();
            adminPort = admin.getLocalPort();
        }
        Path log = dir.resolve("demo.log");
        Process demo = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                GatewayLaunch.MAIN_CLASS, "demo", "--port", String.valueOf(port), "--admin-port",
                String.valueOf(adminPort), "--speed", "1")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!Files.readString(log).contains("infergate demo:")) {
                assertThat(demo.isAlive()).as("demo running; log:\n%s", Files.readString(log)).isTrue();
                assertThat(System.nanoTime()).as("demo started in time").isLessThan(deadline);
                Thread.sleep(50);
            }
            Iterator<String> stream = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + DemoCommand.MODEL
                            + "\",\"stream\":true,\"max_tokens\":150,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build(), HttpResponse.BodyHandlers.ofLines()).body().iterator();
            String first = stream.next();

            new ProcessBuilder("kill", "-INT", String.valueOf(demo.pid())).start().waitFor();
            List<String> events = new ArrayList<>(List.of(first));
            stream.forEachRemaining(line -> {
                if (line.startsWith("data: ")) {
                    events.add(line);
                }
            });

            assertThat(events.getLast()).as("log:\n%s", Files.readString(log)).isEqualTo("data: [DONE]");
            assertThat(demo.waitFor(20, TimeUnit.SECONDS)).as("exited").isTrue();
            assertThat(demo.exitValue()).isZero();
            assertThat(Files.readString(log)).contains("SIGINT: draining").contains("stopped");
        } finally {
            demo.destroyForcibly();
        }
    }

    @Test
    void everyCommandOfTheBriefIsRegistered() {
        CommandLine cli = new CommandLine(new Main());

        assertThat(cli.getSubcommands().keySet())
                .contains("serve", "demo", "emulate", "load", "bench", "check-config", "autoscale");
    }
}
