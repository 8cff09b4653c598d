package io.infergate.cli;

import io.infergate.emulator.EmulatedFleet;
import io.infergate.gateway.Gateway;
import io.infergate.gateway.config.ConfigLoader;
import io.infergate.gateway.config.GatewayConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DemoCommandTest {

    @Test
    void demoFleetBehindTheGatewayServesAStreamedChatFromEveryRegion() throws Exception {
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
                assertThat(servedBy).hasSizeGreaterThan(1);
            }
        }
    }

    @Test
    void everyCommandOfTheBriefIsRegistered() {
        CommandLine cli = new CommandLine(new Main());

        assertThat(cli.getSubcommands().keySet())
                .contains("serve", "demo", "emulate", "load", "bench", "check-config", "autoscale");
    }
}
