package io.infergate.gateway;

import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/** Tokens reach the client as the endpoint produces them: the gateway buffers nothing. */
class StreamingRelayTest {

    @Test
    void firstTokenArrivesLongBeforeTheLastIsProduced() throws Exception {
        try (GatewayHarness harness = GatewayHarness.builder()
                .emulator(o -> o.speed(1).decodeStepMillis(100))
                .start()) {
            HttpRequest request = HttpRequest.newBuilder(harness.url("/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(30))
                    .header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(chat("stream slowly", 10, true)))
                    .build();
            long sent = System.nanoTime();
            List<Long> arrivalsMillis = new ArrayList<>();
            List<String> events = new ArrayList<>();

            HttpResponse<Stream<String>> response = harness.http.send(request, HttpResponse.BodyHandlers.ofLines());
            response.body().filter(line -> line.startsWith("data: ")).forEach(line -> {
                arrivalsMillis.add((System.nanoTime() - sent) / 1_000_000);
                events.add(line);
            });

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(events.getLast()).isEqualTo("data: [DONE]");
            long first = arrivalsMillis.getFirst();
            long last = arrivalsMillis.getLast();
            // Ten tokens 100 ms apart: the stream lasts about a second; the first chunk must not wait for it.
            assertThat(last - first).as("spread between first and last chunk, ms").isGreaterThanOrEqualTo(700);
            assertThat(first).as("first chunk, ms").isLessThan(last - 600);
            String metrics = harness.get(harness.adminUrl("/metrics")).body();
            assertThat(metrics).containsPattern("infergate_time_to_first_token_seconds_count\\{[^}]*endpoint=\"ep0\"[^}]*} 1");
        }
    }
}
