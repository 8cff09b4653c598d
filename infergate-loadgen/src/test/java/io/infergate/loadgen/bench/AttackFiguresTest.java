package io.infergate.loadgen.bench;

import io.infergate.loadgen.attack.AttackReport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class AttackFiguresTest {

    private static final long MS = 1_000_000;
    private static final AttackPlan PLAN = new AttackPlan(Duration.ofSeconds(10), Duration.ofSeconds(2),
            Duration.ofSeconds(10), Duration.ofSeconds(1), 100, 2, 1000, 50, Duration.ofSeconds(1), "127.0.0.2",
            Optional.empty());

    @Test
    void phasesFollowEachOtherWithTheirRampUpAndPauseUnmeasured() {
        assertThat(PLAN.phases()).extracting(AttackPlan.Phase::name)
                .containsExactly("quiet", "idle-connections", "rapid-reset", "slow-headers");
        AttackPlan.Phase idle = PLAN.phases().get(1);
        assertThat(idle.attackFrom()).isEqualTo(Duration.ofSeconds(11));
        assertThat(idle.measureFrom()).isEqualTo(Duration.ofSeconds(13));
        assertThat(idle.measureTo()).isEqualTo(Duration.ofSeconds(23));
        assertThat(PLAN.length()).isEqualTo(Duration.ofSeconds(10 + 3 * (1 + 2 + 10)));
    }

    @Test
    void eachPhaseCountsTheRequestsMeantToLeaveInItsMeasuredWindowAndComparesItsP99WithTheQuietOne() {
        List<TimedRequest> requests = new ArrayList<>();
        for (long sent = 0; sent < PLAN.length().toMillis(); sent += 10) {
            boolean underFlood = sent >= 26_000 && sent < 36_000;
            boolean inRampUp = sent >= 11_000 && sent < 13_000;
            long latency = underFlood ? 300 : inRampUp ? 5_000 : 100;
            requests.add(new TimedRequest(sent * MS, latency * MS, !(underFlood && sent % 1000 == 0)));
        }
        AttackReport flood = new AttackReport("rapid-reset", 2, 7, 2, 2, 0, 5, 9000, 0, 5, Optional.empty());

        AttackFigures figures = AttackFigures.of(requests, PLAN, Map.of("rapid-reset", flood));

        AttackFigures.Phase quiet = figures.phase("quiet").orElseThrow();
        assertThat(quiet.requests()).isEqualTo(1000);
        assertThat(quiet.errors()).isZero();
        assertThat(quiet.p99Ms()).isEqualTo(100.0);
        assertThat(quiet.attacker()).isEmpty();
        AttackFigures.Phase idle = figures.phase("idle-connections").orElseThrow();
        assertThat(idle.p99Ms()).as("the ramp-up before the window is not measured").isEqualTo(100.0);
        AttackFigures.Phase reset = figures.phase("rapid-reset").orElseThrow();
        assertThat(reset.requests()).isEqualTo(1000);
        assertThat(reset.errors()).isEqualTo(10);
        assertThat(reset.ok()).isEqualTo(990);
        assertThat(reset.p99VsQuiet()).isCloseTo(3.0, within(1e-9));
        assertThat(reset.attacker()).contains(flood);
        assertThat(figures.attacker()).startsWith("attacker from 127.0.0.2");
    }
}
