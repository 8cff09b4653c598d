package io.infergate.loadgen;

import io.infergate.loadgen.TestInferenceServer.Behaviour;
import io.infergate.loadgen.arrival.ArrivalProcess;
import io.infergate.loadgen.report.LoadReport;
import io.infergate.loadgen.scenario.RequestClass;
import io.infergate.loadgen.scenario.Scenario;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

@Timeout(30)
class LoadGeneratorOpenLoopTest {

    private static final int RATE = 40;

    /** Loads and compiles the client's code first, so the runs below measure scheduling, not class loading. */
    @BeforeAll
    static void warmUpThisJvm() {
        try (TestInferenceServer fast = TestInferenceServer.start(Map.of("slow", new Behaviour.Answer(1)))) {
            LoadGenerator.run(scenario(fast.url(), 100).withDuration(Duration.ofMillis(500)), ProgressListener.NONE);
        }
    }

    @Test
    void requestsLeaveOnScheduleWhileEarlierOnesAreStillUnanswered() {
        try (TestInferenceServer slow = TestInferenceServer.start(Map.of("slow", new Behaviour.Answer(500)))) {
            // given: 40 req/s, evenly spaced, for 1.5 s, against a target that answers after 500 ms
            Scenario scenario = scenario(slow.url(), 10_000);

            // when
            LoadReport report = LoadGenerator.run(scenario, ProgressListener.NONE);

            // then: 60 requests arrived at the target 25 ms apart, not one per answer
            List<Long> arrivals = slow.arrivals();
            assertThat(arrivals).hasSize(60);
            double spreadMs = (arrivals.getLast() - arrivals.getFirst()) / 1e6;
            assertThat(spreadMs).isCloseTo(59 * 25, within(150.0));
            for (int i = 0; i < arrivals.size(); i++) {
                double offsetMs = (arrivals.get(i) - arrivals.getFirst()) / 1e6;
                assertThat(offsetMs).as("arrival %d", i).isCloseTo(i * 25.0, within(150.0));
            }
            // about rate × 500 ms = 20 requests were waiting at the target at once
            assertThat(slow.maxInFlight()).isBetween(17, 25);
            assertThat(report.sendLag().p99Ms()).isLessThan(100);
            assertThat(report.overall().ok()).isEqualTo(60);
            assertThat(report.overall().latency().p50Ms()).isCloseTo(500, within(100.0));
        }
    }

    @Test
    void requestsDueBeyondTheInFlightCapAreCountedAsDroppedAndTheScheduleGoesOn() {
        try (TestInferenceServer slow = TestInferenceServer.start(Map.of("slow", new Behaviour.Answer(500)))) {
            // given: at most 5 unanswered requests, while about 20 would be in flight
            Scenario scenario = scenario(slow.url(), 5);

            // when
            LoadReport report = LoadGenerator.run(scenario, ProgressListener.NONE);

            // then: every scheduled request was either sent or dropped; the run still took about 1.5 s
            assertThat(report.overall().requests() + report.overall().droppedByClient()).isEqualTo(60);
            assertThat(report.overall().droppedByClient()).isGreaterThan(30);
            assertThat(slow.maxInFlight()).isLessThanOrEqualTo(5);
            assertThat(report.sendSeconds()).isCloseTo(1.5, within(0.2));
        }
    }

    private static Scenario scenario(URI target, int maxInFlight) {
        return new Scenario("open-loop", List.of(target), ArrivalProcess.constant(RATE), Duration.ofMillis(1500),
                Long.MAX_VALUE, maxInFlight, Duration.ofSeconds(10), 1,
                List.of(RequestClass.builder("slow", "slow").build()));
    }
}
