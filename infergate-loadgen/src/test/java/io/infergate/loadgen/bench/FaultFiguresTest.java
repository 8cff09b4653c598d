package io.infergate.loadgen.bench;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class FaultFiguresTest {

    private static final FaultPlan PLAN = new FaultPlan(Duration.ofSeconds(10), Duration.ofSeconds(20), 0.3);
    private static final Duration RUN = Duration.ofSeconds(30);
    private static final long MS = 1_000_000;

    /** One request every 10 ms over the run, each taking {@code latencyMs(sentMs)} ms. */
    private static List<TimedRequest> requests(LongUnaryOperator latencyMs) {
        List<TimedRequest> requests = new ArrayList<>();
        for (long sent = 0; sent < RUN.toMillis(); sent += 10) {
            requests.add(new TimedRequest(sent * MS, latencyMs.applyAsLong(sent) * MS, true));
        }
        return requests;
    }

    @Test
    void splitsTheRunAtTheFaultsAndFindsWhenP99CameBack() {
        // 100 ms before the faults; 2 s in the first three seconds after them; 120 ms from then on
        List<TimedRequest> requests = requests(sent -> sent < 10_000 ? 100 : sent < 13_000 ? 2000 : 120);

        FaultFigures f = FaultFigures.of(requests, PLAN, RUN, 0);

        assertThat(f.p99BeforeMs()).isEqualTo(100);
        assertThat(f.p99FirstMs()).isEqualTo(2000);
        assertThat(f.p99AfterMs()).isEqualTo(120);
        assertThat(f.recoveryRatio()).isCloseTo(1.2, within(1e-9));
        assertThat(f.recoverySeconds()).hasValue(3);
    }

    @Test
    void aRelapseAfterTheFirstWindowCountsAsNotRecoveredUntilItEnds() {
        // recovered after 1 s, then slow again from 25 s to 26 s
        List<TimedRequest> requests = requests(sent -> sent < 10_000 ? 100
                : sent < 11_000 || (sent >= 25_000 && sent < 26_000) ? 900 : 100);

        FaultFigures f = FaultFigures.of(requests, PLAN, RUN, 2);

        assertThat(f.errors()).isEqualTo(2);
        assertThat(f.recoverySeconds()).hasValue(16);
        assertThat(f.p99AfterMs()).isEqualTo(900);
    }

    @Test
    void neverRecoveredWhenTheLastSecondIsStillSlow() {
        FaultFigures f = FaultFigures.of(requests(sent -> sent < 10_000 ? 100 : 10_000), PLAN, RUN, 40);

        assertThat(f.recoverySeconds()).isEmpty();
        assertThat(f.recoveryRatio()).isEqualTo(100);
    }

    @Test
    void theSameFaultsForEveryFleetInTimeOrder() {
        List<FleetMember> members = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            members.add(new FleetMember("s" + i, java.net.URI.create("http://127.0.0.1:900" + i), "eu", 1));
        }

        List<FaultPlan.Step> steps = PLAN.steps(members);

        assertThat(steps).extracting(FaultPlan.Step::what).containsExactly("s1 stops listening", "s2 hangs",
                "s3 fails 30 % of its requests", "s1 listens again");
        assertThat(steps.get(0).faults().refuse()).isTrue();
        assertThat(steps.get(1).faults().hang()).isTrue();
        assertThat(steps.get(2).faults().errorRate()).isEqualTo(0.3);
        assertThat(steps.get(3).at()).isEqualTo(Duration.ofSeconds(20));
    }
}
