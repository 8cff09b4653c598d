package io.infergate.core.scale;

import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.time.FakeTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.infergate.core.scale.Pools.HOME;
import static io.infergate.core.scale.Pools.readyNodes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The policies around the hot-plug rule: band, cool-downs, burst, bounds, hybrid pools, and their precedence. */
class AutoscalerTest {

    private final FakeTicker ticker = new FakeTicker();
    private final AutoscalerConfig.Builder config = AutoscalerConfig.builder()
            .minNodes(1).maxNodes(16).queueThreshold(4)
            .scaleUpCooldown(Duration.ofSeconds(10)).scaleDownCooldown(Duration.ofSeconds(60));

    private Autoscaler autoscaler() {
        return new Autoscaler(config.build(), ticker, Pools.wallClock(Instant.parse("2026-01-05T12:00:00Z"), ticker));
    }

    @Test
    void utilisationAboveTheBandAddsTheNodesThatBringItInside() {
        // 8 nodes at 98 % carry 7.84 busy nodes: 9 nodes are at 87 %, 10 would be at 78 %, under the band
        Decision decision = autoscaler().decide(PoolState.of(readyNodes(8, 0, 0.98), HOME, 0));

        assertThat(decision.action()).isEqualTo(ScaleAction.ADD);
        assertThat(decision.count()).isEqualTo(1);
        assertThat(decision.reason()).isEqualTo(ScaleReason.UTILISATION_ABOVE_BAND);
    }

    @Test
    void aSaturatedPoolAddsEvenAStepThatOvershootsTheBand() {
        // 2 nodes at 100 %: 3 nodes would be at 67 % or more (100 % hides how much more is asked)
        Decision decision = autoscaler().decide(PoolState.of(readyNodes(2, 0, 1.0), HOME, 0));

        assertThat(decision.action()).isEqualTo(ScaleAction.ADD);
        assertThat(decision.count()).isEqualTo(1);
        assertThat(decision.reason()).isEqualTo(ScaleReason.UTILISATION_ABOVE_BAND);
    }

    @Test
    void ofTheNodeCountsInsideTheBandTheAddAimsAtItsMiddle() {
        // 20 nodes at 97 % carry 19.4: 21 nodes 92.4 % (above), 22 nodes 88.2 %, 23 nodes 84.3 % (under)
        config.maxNodes(32);
        Decision decision = autoscaler().decide(PoolState.of(readyNodes(20, 0, 0.97), HOME, 0));

        assertThat(decision.count()).isEqualTo(2);
    }

    @Test
    void aNodeThatWouldLeaveThePoolFurtherBelowTheBandThanItIsAboveIsNotAdded() {
        // 3 nodes at 95 %: 3 points above the band; 4 nodes would be at 71 %, 14 points below it
        Autoscaler autoscaler = autoscaler();

        Decision small = autoscaler.decide(PoolState.of(readyNodes(3, 0, 0.95), HOME, 0));
        Decision queueing = autoscaler.decide(PoolState.of(readyNodes(3, 0, 0.95), HOME, 13));

        assertThat(small.action()).isEqualTo(ScaleAction.HOLD);
        assertThat(small.reason()).isEqualTo(ScaleReason.NEAREST_TO_BAND);
        assertThat(small.detail()).isEqualTo("utilisation 95% > band 85%–92% on 3 nodes, but 4 nodes would be at 71%");
        assertThat(queueing.action()).as("the hot-plug rule still answers a queue").isEqualTo(ScaleAction.ADD);
        assertThat(queueing.reason()).isEqualTo(ScaleReason.QUEUE_OVER_THRESHOLD);
    }

    @Test
    void utilisationInsideTheBandHolds() {
        Autoscaler autoscaler = autoscaler();
        for (double utilisation : new double[] {0.86, 0.88, 0.91}) {
            Decision decision = autoscaler.decide(PoolState.of(readyNodes(8, 0, utilisation), HOME, 0));
            assertThat(decision.reason()).as("utilisation %s", utilisation).isEqualTo(ScaleReason.IN_BAND);
        }
    }

    @Test
    void utilisationBelowTheBandReleasesOnlyWhatKeepsTheRestUnderItsTop() {
        // 8 nodes at 50 % carry 4 busy nodes: ceil(4 / 0.885) = 5 stay
        config.maxReleaseStep(8);
        Autoscaler autoscaler = autoscaler();
        List<Node> nodes = readyNodes(8, 0, 0.5);
        autoscaler.decide(PoolState.of(nodes, HOME, 0));
        ticker.advance(Duration.ofSeconds(60));

        Decision decision = autoscaler.decide(PoolState.of(nodes, HOME, 0));

        assertThat(decision.action()).isEqualTo(ScaleAction.RELEASE);
        assertThat(decision.count()).isEqualTo(3);
    }

    @Test
    void releasesAtMostTheConfiguredStep() {
        config.maxReleaseStep(2).scaleDownCooldown(Duration.ZERO);

        Decision decision = autoscaler().decide(PoolState.of(readyNodes(8, 0, 0.1), HOME, 0));

        assertThat(decision.count()).isEqualTo(2);
    }

    @Test
    void scaleUpCoolDownSpacesLoadDrivenAdds() {
        Autoscaler autoscaler = autoscaler();
        List<Node> four = readyNodes(4, 0, Double.NaN);

        Decision first = autoscaler.decide(PoolState.of(four, HOME, 20));
        ticker.advance(Duration.ofSeconds(9));
        Decision tooSoon = autoscaler.decide(PoolState.of(four, HOME, 20));
        ticker.advance(Duration.ofSeconds(1));
        Decision again = autoscaler.decide(PoolState.of(four, HOME, 20));

        assertThat(first.action()).isEqualTo(ScaleAction.ADD);
        assertThat(tooSoon.action()).isEqualTo(ScaleAction.HOLD);
        assertThat(tooSoon.reason()).isEqualTo(ScaleReason.SCALE_UP_COOLDOWN);
        assertThat(tooSoon.detail()).contains("last add 9.0s ago (cool-down 10.0s)");
        assertThat(again.action()).isEqualTo(ScaleAction.ADD);
    }

    @Test
    void scaleDownWaitsForTheCoolDownAfterAnAddAndRestartsItOnAnyBusyMoment() {
        Autoscaler autoscaler = autoscaler();
        List<Node> four = readyNodes(4, 0, Double.NaN);
        autoscaler.decide(PoolState.of(four, HOME, 20));                    // add at t=0

        ticker.advance(Duration.ofSeconds(59));
        Decision quietButTooSoon = autoscaler.decide(PoolState.of(four, HOME, 0));
        ticker.advance(Duration.ofSeconds(30));
        autoscaler.decide(PoolState.of(four, HOME, 14));                    // between the lines: quiet broken
        ticker.advance(Duration.ofSeconds(1));
        autoscaler.decide(PoolState.of(four, HOME, 0));                     // quiet again from t=90
        ticker.advance(Duration.ofSeconds(59));
        Decision stillTooSoon = autoscaler.decide(PoolState.of(four, HOME, 0));
        ticker.advance(Duration.ofSeconds(1));
        Decision released = autoscaler.decide(PoolState.of(four, HOME, 0));

        assertThat(quietButTooSoon.reason()).isEqualTo(ScaleReason.SCALE_DOWN_COOLDOWN);
        assertThat(stillTooSoon.reason()).isEqualTo(ScaleReason.SCALE_DOWN_COOLDOWN);
        assertThat(released.action()).isEqualTo(ScaleAction.RELEASE);
        assertThat(released.nodes()).extracting(NodeChoice::nodeId).containsExactly("n0");
    }

    @Test
    void doesNotReleaseWhileNodesAreStarting() {
        config.scaleDownCooldown(Duration.ZERO);
        List<Node> nodes = new ArrayList<>(readyNodes(4, 0, Double.NaN));
        nodes.add(new Node("new", HOME, CapacityKind.DEDICATED, 2.0, 0, Lifecycle.STARTING, Double.NaN));

        Decision decision = autoscaler().decide(PoolState.of(nodes, HOME, 0));

        assertThat(decision.reason()).isEqualTo(ScaleReason.NODES_STARTING);
    }

    @Test
    void aBurstGoesStraightToTheMaximumWhateverTheCoolDown() {
        // given a 2-node pool that has just added a node
        Autoscaler autoscaler = autoscaler();
        autoscaler.decide(PoolState.of(readyNodes(2, 0, Double.NaN), HOME, 9));

        // when the queue explodes: past 4 × 4 × 2 = 32
        ticker.advance(Duration.ofSeconds(1));
        Decision decision = autoscaler.decide(PoolState.of(readyNodes(2, 0, Double.NaN), HOME, 33));

        // then
        assertThat(decision.action()).isEqualTo(ScaleAction.ADD);
        assertThat(decision.reason()).isEqualTo(ScaleReason.BURST);
        assertThat(decision.count()).isEqualTo(14);
    }

    @Test
    void startingNodesCountSoABurstIsNotRepeated() {
        Autoscaler autoscaler = autoscaler();
        List<Node> nodes = new ArrayList<>(readyNodes(2, 0, Double.NaN));
        for (int i = 0; i < 14; i++) {
            nodes.add(new Node("s" + i, HOME, CapacityKind.DEDICATED, 2.0, 0, Lifecycle.STARTING, Double.NaN));
        }

        Decision decision = autoscaler.decide(PoolState.of(nodes, HOME, 500));

        assertThat(decision.reason()).isEqualTo(ScaleReason.AT_MAX);
    }

    @Test
    void boundsComeFirstAndIgnoreCoolDowns() {
        config.minNodes(3).maxNodes(5);
        Autoscaler autoscaler = autoscaler();

        Decision up = autoscaler.decide(PoolState.of(readyNodes(1, 0, Double.NaN), HOME, 0));
        Decision down = autoscaler.decide(PoolState.of(readyNodes(7, 0, Double.NaN), HOME, 1000));

        assertThat(up.reason()).isEqualTo(ScaleReason.BELOW_MIN);
        assertThat(up.count()).isEqualTo(2);
        assertThat(down.reason()).isEqualTo(ScaleReason.ABOVE_MAX);
        assertThat(down.nodes()).extracting(NodeChoice::nodeId).containsExactly("n0", "n1");
    }

    @Test
    void drainingNodesNoLongerCount() {
        config.minNodes(2);
        List<Node> nodes = List.of(
                Pools.ready("a", Duration.ofMinutes(5), 0, Double.NaN),
                new Node("b", HOME, CapacityKind.PREEMPTIBLE, 0.8, 0, Lifecycle.DRAINING, Double.NaN));

        Decision decision = autoscaler().decide(PoolState.of(nodes, HOME, 0));

        assertThat(decision.reason()).isEqualTo(ScaleReason.BELOW_MIN);
        assertThat(decision.count()).isEqualTo(1);
    }

    @Test
    void hybridPoolFillsItsDedicatedFloorThenAddsPreemptibleNodes() {
        config.minNodes(5).hybrid(new HybridPool(2, 2));

        Decision decision = autoscaler().decide(PoolState.of(List.of(), HOME, 0));

        assertThat(decision.nodes()).extracting(NodeChoice::capacity).containsExactly(
                CapacityKind.DEDICATED, CapacityKind.DEDICATED, CapacityKind.PREEMPTIBLE, CapacityKind.PREEMPTIBLE,
                CapacityKind.DEDICATED);
    }

    @Test
    void hybridPoolNeverReleasesBelowItsDedicatedFloor() {
        // given two old dedicated nodes and two young preemptible ones, all idle
        config.hybrid(new HybridPool(2, 14)).maxReleaseStep(4).scaleDownCooldown(Duration.ZERO);
        List<Node> nodes = List.of(
                Pools.ready("dedicated-old", Duration.ofHours(30), 0, 0.0),
                Pools.ready("dedicated", Duration.ofHours(3), 0, 0.0),
                new Node("spot-1", HOME, CapacityKind.PREEMPTIBLE, 0.8, -1_000, Lifecycle.READY, 0.0),
                new Node("spot-2", HOME, CapacityKind.PREEMPTIBLE, 0.8, -500, Lifecycle.READY, 0.0));

        Decision decision = autoscaler().decide(PoolState.of(nodes, HOME, 0));

        assertThat(decision.nodes()).extracting(NodeChoice::nodeId).containsExactly("spot-1", "spot-2");
        assertThat(PoolState.of(nodes, HOME, 0).costPerHour()).isEqualTo(2 * 2.0 + 2 * 0.8);
    }

    @Test
    void rejectsABandThatIsNotOrdered() {
        assertThatThrownBy(() -> AutoscalerConfig.builder().band(0.92, 0.85).build())
                .hasMessage("band: 0.92..0.85 (expected: 0 < low < high <= 1)");
    }
}
