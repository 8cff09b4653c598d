package io.infergate.loadgen.scenario;

import io.infergate.loadgen.arrival.RateProfile;
import io.infergate.loadgen.arrival.Spacing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScenarioFileTest {

    private static final String FULL = """
            name: chat-mix
            target: http://127.0.0.1:8080
            arrival: {process: bursts, rate: 20, factor: 4, burst: 5s, every: 30s, spacing: constant}
            duration: 2m
            max_requests: 5000
            max_in_flight: 300
            timeout: 30s
            seed: 42
            classes:
              - name: chat
                share: 0.8
                model: llama-3.1-8b-instruct
                endpoint: chat
                prompt_tokens: {uniform: [100, 400]}
                output_tokens: {normal: {mean: 150, stddev: 40}}
                stream: true
                priority: critical
                tenant: fraud
                api_key: sk-fraud
                slo: {ttft: 500ms, latency: 10s}
                conversation: {conversations: 64, system_prompt_tokens: 1000, turns: 8}
              - name: batch
                share: 0.2
                model: llama-3.1-8b-instruct
                endpoint: completions
                prompt_tokens: 64
                output_tokens: {fixed: 8}
            """;

    @Test
    void readsEveryField() {
        Scenario s = ScenarioFile.parse(FULL, "mix.yaml", Path.of("."));

        assertThat(s.name()).isEqualTo("chat-mix");
        assertThat(s.targets()).containsExactly(URI.create("http://127.0.0.1:8080"));
        assertThat(s.arrival().profile()).isEqualTo(new RateProfile.Bursts(20, 4, 5, 30));
        assertThat(s.arrival().spacing()).isEqualTo(Spacing.CONSTANT);
        assertThat(s.duration()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.maxRequests()).isEqualTo(5000);
        assertThat(s.maxInFlight()).isEqualTo(300);
        assertThat(s.timeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.seed()).isEqualTo(42);
        assertThat(s.classes().getFirst()).isEqualTo(new RequestClass("chat", 0.8, "llama-3.1-8b-instruct",
                EndpointKind.CHAT, new Distribution.Uniform(100, 400), new Distribution.Normal(150, 40), true,
                "critical", "fraud", "sk-fraud", new Slo(Optional.of(Duration.ofMillis(500)), Optional.of(Duration.ofSeconds(10))),
                Optional.of(new Conversation(64, 1000, 8))));
        RequestClass batch = s.classes().get(1);
        assertThat(batch.endpoint()).isEqualTo(EndpointKind.COMPLETIONS);
        assertThat(batch.promptTokens()).isEqualTo(new Distribution.Fixed(64));
        assertThat(batch.outputTokens()).isEqualTo(new Distribution.Fixed(8));
        assertThat(batch.slo()).isEqualTo(Slo.NONE);
        assertThat(batch.stream()).isFalse();
        assertThat(batch.conversation()).isEmpty();
    }

    @Test
    void readsARateScheduleFileNextToTheScenario(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("rates.csv"), "0,5\n10,25\n");
        Path file = dir.resolve("s.yaml");
        Files.writeString(file, """
                arrival: {process: schedule, file: rates.csv}
                classes: [{name: c, model: m}]
                """);

        Scenario s = ScenarioFile.read(file);

        assertThat(s.arrival().profile().rateAt(12)).isEqualTo(25);
        assertThat(s.arrival().spacing()).isEqualTo(Spacing.POISSON);
        assertThat(s.targets()).isEmpty();
    }

    @Test
    void errorsNameTheFileTheFieldAndWhatWasExpected() {
        assertThatThrownBy(() -> parse("arrival: {process: poisson, rate: fast}\nclasses: [{name: c, model: m}]"))
                .hasMessage("s.yaml: arrival.rate: found 'fast' (expected: a number)");
        assertThatThrownBy(() -> parse("arrival: {process: poisson, rate: 5}\nclasses: [{name: c, model: m, stream: yes please}]"))
                .hasMessage("s.yaml: classes[0].stream: found 'yes please' (expected: true or false)");
        assertThatThrownBy(() -> parse("arrival: {process: poisson, rate: 5}\nclasses: [{name: c, model: m, max_tokens: 5}]"))
                .hasMessageStartingWith("s.yaml: classes[0].max_tokens: unknown field (expected: one of [api_key, conversation, endpoint,");
        assertThatThrownBy(() -> parse("arrival: {process: zipf, rate: 5}\nclasses: [{name: c, model: m}]"))
                .hasMessage("s.yaml: arrival.process: found 'zipf' (expected: constant, poisson, bursts or schedule)");
        assertThatThrownBy(() -> parse("arrival: {process: poisson, rate: 5}\nclasses: [{name: c, model: m, prompt_tokens: {uniform: [9, 3]}}]"))
                .hasMessage("s.yaml: classes[0].prompt_tokens: max: 3 (expected: >= min 9)");
        assertThatThrownBy(() -> parse("arrival: {process: poisson, rate: 5}\nclasses: [{name: c, model: m, share: 0}]"))
                .hasMessage("s.yaml: classes[0]: share of class 'c': 0.0 (expected: > 0)");
        assertThatThrownBy(() -> parse("target: ftp://x\narrival: {process: poisson, rate: 5}\nclasses: [{name: c, model: m}]"))
                .hasMessage("s.yaml: target: found 'ftp://x' (expected: an http or https URL such as http://127.0.0.1:8080)");
        assertThatThrownBy(() -> parse("classes: [{name: c, model: m}]"))
                .hasMessage("s.yaml: arrival: missing (expected: e.g. {process: poisson, rate: 50})");
    }

    @Test
    void everyBuiltInScenarioIsValidAndHasNoTarget() {
        assertThat(BuiltInScenarios.names()).containsExactly("burst", "faults", "overhead", "prefix", "priority", "steady", "streams");
        for (String name : BuiltInScenarios.names()) {
            Scenario s = BuiltInScenarios.named(name);
            assertThat(s.name()).isEqualTo(name);
            assertThat(s.targets()).isEmpty();
        }
        assertThatThrownBy(() -> BuiltInScenarios.named("nope"))
                .hasMessage("scenario: 'nope' (expected: a YAML file or one of [burst, faults, overhead, prefix, priority, steady, streams])");
    }

    @Test
    void durationsReadAsPeopleWriteThem() {
        assertThat(DurationText.parse("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DurationText.parse("1.5")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationText.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThatThrownBy(() -> DurationText.parse("soon")).hasMessageContaining("expected: e.g. 500ms");
    }

    private static Scenario parse(String yaml) {
        return ScenarioFile.parse(yaml, "s.yaml", Path.of("."));
    }
}
