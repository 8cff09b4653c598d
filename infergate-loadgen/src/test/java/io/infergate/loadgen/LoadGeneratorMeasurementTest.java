package io.infergate.loadgen;

import io.infergate.loadgen.TestInferenceServer.Behaviour;
import io.infergate.loadgen.arrival.ArrivalProcess;
import io.infergate.loadgen.report.ClassReport;
import io.infergate.loadgen.report.LoadReport;
import io.infergate.loadgen.scenario.Distribution;
import io.infergate.loadgen.scenario.EndpointKind;
import io.infergate.loadgen.scenario.RequestClass;
import io.infergate.loadgen.scenario.Scenario;
import io.infergate.loadgen.scenario.Slo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Runs once against a target with known latencies and token cadence, then checks what was measured. */
@Timeout(60)
class LoadGeneratorMeasurementTest {

    private static LoadReport report;

    @BeforeAll
    static void runAgainstKnownLatencies() {
        Map<String, Behaviour> behaviours = Map.of(
                "answer-100ms", new Behaviour.Answer(100),
                "stream-200ms-5x50ms", new Behaviour.Stream(200, 5, 50),
                "fail-503", new Behaviour.Status(503),
                "cut-after-2", new Behaviour.Cut(2, 10));
        try (TestInferenceServer server = TestInferenceServer.start(behaviours)) {
            List<RequestClass> classes = List.of(
                    RequestClass.builder("answer", "answer-100ms").endpoint(EndpointKind.COMPLETIONS)
                            .output(new Distribution.Fixed(7)).slo(Slo.of(null, Duration.ofSeconds(1))).build(),
                    RequestClass.builder("stream", "stream-200ms-5x50ms").stream(true)
                            .slo(Slo.of(Duration.ofMillis(100), null)).build(),
                    RequestClass.builder("error", "fail-503").build(),
                    RequestClass.builder("cut", "cut-after-2").stream(true).build());
            Scenario scenario = new Scenario("known", List.of(server.url()), ArrivalProcess.constant(40),
                    Duration.ofSeconds(2), Long.MAX_VALUE, 1000, Duration.ofSeconds(10), 7, classes);
            report = LoadGenerator.run(scenario, ProgressListener.NONE);
        }
    }

    @Test
    void nonStreamedLatencyMatchesTheTargetsDelayAndEveryAnswerMeetsItsSlo() {
        ClassReport answer = byName("answer");
        assertThat(answer.requests()).isPositive().isEqualTo(answer.ok());
        assertThat(answer.latency().p50Ms()).isCloseTo(100, within(40.0));
        assertThat(answer.ttft().p50Ms()).as("a non-streamed answer's first token comes with its body")
                .isEqualTo(answer.latency().p50Ms());
        assertThat(answer.good()).isEqualTo(answer.ok());
        assertThat(answer.goodputRps()).isEqualTo(answer.throughputRps());
        assertThat(answer.throughputRps()).isCloseTo(answer.ok() / report.elapsedSeconds(), within(0.01));
        assertThat(answer.outputTokens()).isEqualTo(7 * answer.ok());
    }

    @Test
    void streamTimingsMatchTheTokenCadence() {
        ClassReport stream = byName("stream");
        assertThat(stream.requests()).isPositive().isEqualTo(stream.ok());
        assertThat(stream.ttft().p50Ms()).isCloseTo(200, within(50.0));
        assertThat(stream.itl().p50Ms()).isCloseTo(50, within(15.0));
        assertThat(stream.itl().count()).isEqualTo(4 * stream.ok());
        assertThat(stream.latency().p50Ms()).isCloseTo(450, within(80.0));
        assertThat(stream.outputTokens()).isEqualTo(5 * stream.ok());
    }

    @Test
    void requestsMissingTheirTtftSloAreNotGoodput() {
        ClassReport stream = byName("stream");
        assertThat(stream.good()).isZero();
        assertThat(stream.goodputRps()).isZero();
        assertThat(stream.throughputRps()).isPositive();
    }

    @Test
    void errorsAreCountedByKindAndStatus() {
        ClassReport error = byName("error");
        assertThat(error.requests()).isPositive();
        assertThat(error.ok()).isZero();
        assertThat(error.errorsByKind()).containsEntry("http_5xx", error.requests());
        assertThat(error.statusCodes()).containsEntry("503", error.requests());

        ClassReport cut = byName("cut");
        assertThat(cut.requests()).isPositive();
        assertThat(cut.errorsByKind()).containsEntry("stream_cut", cut.requests());
        assertThat(cut.good()).isZero();
    }

    @Test
    void overallSumsTheClassesAndTheTimelineCoversTheRun() {
        assertThat(report.overall().requests()).isEqualTo(80);
        assertThat(report.overall().errors()).isEqualTo(byName("error").errors() + byName("cut").errors());
        long sentInTimeline = report.timeline().stream().mapToLong(p -> p.sent()).sum();
        assertThat(sentInTimeline).isEqualTo(80);
        assertThat(report.timeline().getLast().second()).isCloseTo(report.elapsedSeconds(), within(0.05));
        assertThat(report.timeline().getLast().inFlight()).isZero();
    }

    private static ClassReport byName(String name) {
        return report.classes().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }
}
