package io.infergate.core.scale;

import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.time.FakeTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.infergate.core.scale.Pools.HOME;
import static io.infergate.core.scale.Pools.ready;
import static io.infergate.core.scale.Pools.readyNodes;
import static org.assertj.core.api.Assertions.assertThat;

/** The hot-plug rule as the source states it: add above threshold × nodes, release below threshold × 0.7 × nodes. */
class HotPlugRuleTest {

    private final FakeTicker ticker = new FakeTicker();
    private final AutoscalerConfig.Builder config = AutoscalerConfig.builder()
            .minNodes(1).maxNodes(16).queueThreshold(4).maxReleaseStep(16);

    private Autoscaler autoscaler() {
        return new Autoscaler(config.build(), ticker, Pools.wallClock(Instant.parse("2026-01-05T12:00:00Z"), ticker));
    }

    @Test
    void addsOneNodeOnlyWhenTheQueueExceedsThresholdTimesNodeCount() {
        Autoscaler autoscaler = autoscaler();
        List<Node> four = readyNodes(4, ticker.read(), Double.NaN);

        Decision atThreshold = autoscaler.decide(PoolState.of(four, HOME, 16));
        Decision over = autoscaler.decide(PoolState.of(four, HOME, 17));

        assertThat(atThreshold.action()).isEqualTo(ScaleAction.HOLD);
        assertThat(over.action()).isEqualTo(ScaleAction.ADD);
        assertThat(over.count()).isEqualTo(1);
        assertThat(over.reason()).isEqualTo(ScaleReason.QUEUE_OVER_THRESHOLD);
        assertThat(over.detail()).contains("queue 17 > threshold 4 × 4 nodes");
    }

    @Test
    void prefersAnIdleNodeThenTheSameRegionThenAnotherRegion() {
        // given 2 nodes, one idle node far away, room for one more node at home, and room abroad
        config.minNodes(5);
        Node idle = new Node("idle-1", "us-east", CapacityKind.DEDICATED, 2.0, 0, Lifecycle.READY, 0);
        PoolState pool = new PoolState(readyNodes(2, 0, Double.NaN), List.of(idle), HOME,
                List.of(RegionRoom.unlimited("us-east"), new RegionRoom(HOME, 1)), 0, 0);

        // when the minimum asks for 3 more
        Decision decision = autoscaler().decide(pool);

        // then
        assertThat(decision.nodes()).extracting(NodeChoice::placement)
                .containsExactly(Placement.IDLE_NODE, Placement.SAME_REGION, Placement.OTHER_REGION);
        assertThat(decision.nodes()).extracting(NodeChoice::nodeId).containsExactly("idle-1", "", "");
        assertThat(decision.nodes()).extracting(NodeChoice::region).containsExactly("us-east", HOME, "us-east");
    }

    @Test
    void aSingleAddTakesTheIdleNodeBeforeStartingANewOne() {
        Node idle = new Node("idle-1", HOME, CapacityKind.DEDICATED, 2.0, 0, Lifecycle.READY, 0);
        PoolState pool = new PoolState(readyNodes(2, 0, Double.NaN), List.of(idle), HOME,
                List.of(RegionRoom.unlimited(HOME)), 9, 0);

        Decision decision = autoscaler().decide(pool);

        assertThat(decision.nodes()).containsExactly(
                new NodeChoice("idle-1", HOME, CapacityKind.DEDICATED, Placement.IDLE_NODE));
    }

    @Test
    void holdsWhenTheProviderHasNoRoomAnywhere() {
        PoolState pool = new PoolState(readyNodes(2, 0, Double.NaN), List.of(), HOME, List.of(new RegionRoom(HOME, 0)), 9, 0);

        Decision decision = autoscaler().decide(pool);

        assertThat(decision.action()).isEqualTo(ScaleAction.HOLD);
        assertThat(decision.reason()).isEqualTo(ScaleReason.NO_CAPACITY);
    }

    @Test
    void releasesNodesThatRanLongerThanADayFirstThenTheOldest() {
        // given an empty queue and nodes of mixed ages, listed young first
        config.minNodes(1).scaleDownCooldown(Duration.ofSeconds(60));
        Autoscaler autoscaler = autoscaler();
        ticker.advance(Duration.ofHours(48));
        long now = ticker.read();
        List<Node> nodes = List.of(
                ready("young", Duration.ofHours(1), now, Double.NaN),
                ready("day-and-a-bit", Duration.ofHours(25), now, Double.NaN),
                ready("middle", Duration.ofHours(2), now, Double.NaN),
                ready("ancient", Duration.ofHours(30), now, Double.NaN));

        // when the pool has been quiet for the whole cool-down
        Decision first = autoscaler.decide(PoolState.of(nodes, HOME, 0));
        ticker.advance(Duration.ofSeconds(60));
        Decision release = autoscaler.decide(PoolState.of(nodes, HOME, 0));

        // then all but the minimum go, past-a-day nodes first
        assertThat(first.reason()).isEqualTo(ScaleReason.SCALE_DOWN_COOLDOWN);
        assertThat(release.action()).isEqualTo(ScaleAction.RELEASE);
        assertThat(release.reason()).isEqualTo(ScaleReason.QUEUE_UNDER_THRESHOLD);
        assertThat(release.nodes()).extracting(NodeChoice::nodeId).containsExactly("ancient", "day-and-a-bit", "middle");
        assertThat(release.detail()).contains("(2 past 24 h)");
    }

    @Test
    void keepsEnoughNodesForTheQueueToStayUnderTheReleaseLine() {
        // queue 10 with threshold 4: release line is 2.8 per node, so 10 needs 4 nodes (10 < 11.2)
        config.scaleDownCooldown(Duration.ZERO);
        Decision decision = autoscaler().decide(PoolState.of(readyNodes(8, 0, Double.NaN), HOME, 10));

        assertThat(decision.action()).isEqualTo(ScaleAction.RELEASE);
        assertThat(decision.count()).isEqualTo(4);
    }

    @Test
    void holdsBetweenTheReleaseLineAndTheThresholdHoweverLongItLasts() {
        // 4 nodes, threshold 4: add above 16, release below 11.2
        config.scaleDownCooldown(Duration.ofSeconds(5));
        Autoscaler autoscaler = autoscaler();
        List<Node> four = readyNodes(4, 0, Double.NaN);

        for (int second = 0; second < 600; second++) {
            int queue = second % 2 == 0 ? 12 : 16;
            Decision decision = autoscaler.decide(PoolState.of(four, HOME, queue));
            assertThat(decision.action()).as("second %d, queue %d", second, queue).isEqualTo(ScaleAction.HOLD);
            assertThat(decision.reason()).isEqualTo(ScaleReason.IN_BAND);
            ticker.advance(Duration.ofSeconds(1));
        }
    }
}
