package io.infergate.loadgen.bench;

import io.infergate.loadgen.scenario.BuiltInScenarios;
import io.infergate.loadgen.scenario.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Timeout(30)
class EmulatorFleetsTest {

    @Test
    void theDemoFleetsCapacityFollowsTheEngineProfiles() {
        // steady's mix: 425 prompt and 195.2 output tokens on average
        Scenario steady = BuiltInScenarios.named("steady");
        assertThat(steady.meanPromptTokens()).isCloseTo(425, within(0.01));
        assertThat(steady.meanOutputTokens()).isCloseTo(195.2, within(0.01));

        try (BenchFleet fleet = EmulatorFleets.start(new FleetSpec.Demo(5, 4))) {
            // per server, one request costs output × (base + 4 × per-sequence) / 4 + prompt × prefill:
            // A100 0.554 s, H100 0.317 s, A10G 1.626 s, L4 3.477 s; two A100s; × speed 5
            double expected = 5 * (2 / 0.5549 + 1 / 0.3166 + 1 / 1.6255 + 1 / 3.4765);
            assertThat(fleet.capacityRps(425, 195.2)).isCloseTo(expected, within(0.1));
            assertThat(fleet.members()).extracting(FleetMember::id).containsExactly("eu-west-a100",
                    "eu-west-onprem-a100", "us-east-h100", "us-east-a10g-spot", "edge-paris-l4");
            assertThat(fleet.speed()).isEqualTo(5);
        }
    }

    @Test
    void theHomogeneousFleetIsFourCopiesOfTheDemosA100() {
        try (BenchFleet demo = EmulatorFleets.start(BenchScenario.DEMO);
             BenchFleet fleet = EmulatorFleets.start(BenchScenario.HOMOGENEOUS.fleet())) {
            // the demo's A100 carries 1 / 0.5549 requests a second of steady's mix at real time; × speed 5
            assertThat(fleet.capacityRps(425, 195.2)).isCloseTo(4 * 5 / 0.5549, within(0.1));
            assertThat(fleet.members()).hasSize(4).allSatisfy(m -> {
                assertThat(m.region()).isEqualTo(demo.members().getFirst().region());
                assertThat(m.pricePerHour()).isEqualTo(demo.members().getFirst().pricePerHour());
            });
            assertThat(fleet.members()).extracting(FleetMember::url).doesNotHaveDuplicates();
            assertThat(fleet.speed()).isEqualTo(demo.speed());
            assertThat(fleet.description()).isEqualTo("4 A100s (profile a100-llama3-8b), 5× real time, "
                    + "at most 4 sequences per server");
        }
    }

    @Test
    void instantServersAnswerAndHaveNoCapacityBound() throws Exception {
        try (BenchFleet fleet = EmulatorFleets.start(new FleetSpec.Instant(2));
             HttpClient http = HttpClient.newHttpClient()) {
            assertThat(fleet.capacityRps(16, 1)).isInfinite();
            URI url = fleet.members().getFirst().url().resolve("/v1/completions");
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + BuiltInScenarios.MODEL
                            + "\",\"prompt\":\"hi\",\"max_tokens\":1}")).header("content-type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
        }
    }
}
