package io.infergate.loadgen;

import io.infergate.loadgen.TestInferenceServer.Behaviour;
import io.infergate.loadgen.arrival.ArrivalProcess;
import io.infergate.loadgen.report.ClassReport;
import io.infergate.loadgen.report.LoadReport;
import io.infergate.loadgen.scenario.RequestClass;
import io.infergate.loadgen.scenario.Scenario;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Timeout(30)
class LoadGeneratorTimeoutTest {

    @Test
    void answersSlowerThanTheTimeoutCountAsTimeoutsNotAsCutStreams() {
        try (TestInferenceServer server = TestInferenceServer.start(Map.of(
                "slow-stream", new Behaviour.Stream(50, 20, 50),
                "slow-answer", new Behaviour.Answer(1000)))) {
            // given: a 300 ms timeout, a stream that takes a second, an answer that takes a second
            Scenario scenario = new Scenario("timeouts", List.of(server.url()), ArrivalProcess.constant(20),
                    Duration.ofMillis(500), Long.MAX_VALUE, 100, Duration.ofMillis(300), 1, List.of(
                    RequestClass.builder("stream", "slow-stream").stream(true).build(),
                    RequestClass.builder("answer", "slow-answer").build()));

            // when
            LoadReport report = LoadGenerator.run(scenario, ProgressListener.NONE);

            // then: every request failed as a timeout, about 300 ms after it was meant to leave
            for (ClassReport c : report.classes()) {
                assertThat(c.requests()).as(c.name()).isPositive();
                assertThat(c.errorsByKind()).as(c.name()).containsEntry("timeout", c.requests())
                        .containsEntry("stream_cut", 0L).containsEntry("io", 0L);
            }
            assertThat(report.elapsedSeconds()).isCloseTo(0.8, within(0.3));
        }
    }
}
