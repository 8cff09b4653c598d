package io.infergate.core.scale;

import io.infergate.core.fleet.CapacityKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the admin API lists of an autoscaler's decisions, and which of them the host logs. */
class DecisionLogTest {

    private static final Decision ADD = Decision.add(
            List.of(new NodeChoice("", Pools.HOME, CapacityKind.DEDICATED, Placement.SAME_REGION)),
            ScaleReason.QUEUE_OVER_THRESHOLD, "queue 9 > threshold 4 × 2 nodes");
    private static final Decision RELEASE = Decision.release(
            List.of(new NodeChoice("n0", Pools.HOME, CapacityKind.DEDICATED, Placement.IN_SERVICE)),
            ScaleReason.QUEUE_UNDER_THRESHOLD, "queue 0 < threshold 4 × 0.7 × 3 nodes");

    @Test
    void addsAndReleasesAreLoggedAndListedNewestFirstHoldsOnlyWhenTheirReasonChanges() {
        DecisionLog log = new DecisionLog();

        assertThat(log.record(ADD, 1)).isTrue();
        assertThat(log.record(Decision.hold(ScaleReason.IN_BAND, "queue 0"), 2)).isTrue();
        assertThat(log.record(Decision.hold(ScaleReason.IN_BAND, "queue 1"), 3)).isFalse();
        assertThat(log.record(Decision.hold(ScaleReason.SCALE_DOWN_COOLDOWN, "calm for 1s"), 4)).isTrue();
        assertThat(log.record(RELEASE, 5)).isTrue();
        assertThat(log.record(RELEASE, 6)).as("every release, even one like the last").isTrue();

        assertThat(log.recent()).extracting(LoggedDecision::atNanos).containsExactly(6L, 5L, 1L);
        assertThat(log.last()).contains(RELEASE);
    }

    @Test
    void itKeepsTheLastFiftyAddsAndReleases() {
        DecisionLog log = new DecisionLog();
        for (int i = 0; i < 60; i++) {
            log.record(ADD, i);
        }

        assertThat(log.recent()).hasSize(DecisionLog.SIZE);
        assertThat(log.recent().getFirst().atNanos()).isEqualTo(59);
        assertThat(log.recent().getLast().atNanos()).isEqualTo(10);
    }
}
