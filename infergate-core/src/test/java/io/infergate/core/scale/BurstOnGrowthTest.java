package io.infergate.core.scale;

import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.time.FakeTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The burst's growth trigger: a queue past the threshold while the requests the pool holds have risen for
 * the whole growth window, fast enough to cross the burst line within the horizon, sends the pool to its
 * maximum at once. The pool
 * here starts with 2 ready nodes, threshold 4, burst factor 4 (burst line 32 on 2 nodes), a 5 s growth
 * window and a 30 s horizon; added nodes count from the next second, as the gateway's pending nodes do.
 */
class BurstOnGrowthTest {

    private final FakeTicker ticker = new FakeTicker();
    private final Autoscaler autoscaler = new Autoscaler(
            AutoscalerConfig.builder().minNodes(2).maxNodes(16).queueThreshold(4).burstFactor(4)
                    .growthWindow(Duration.ofSeconds(5)).burstHorizon(Duration.ofSeconds(30))
                    .scaleUpCooldown(Duration.ofSeconds(10)).scaleDownCooldown(Duration.ofSeconds(60)).build(),
            ticker, Pools.wallClock(Instant.parse("2026-01-05T12:00:00Z"), ticker));
    private final List<Node> nodes = new ArrayList<>(Pools.readyNodes(2, 0, Double.NaN));
    private final List<Decision> decisions = new ArrayList<>();

    @Test
    void aSteepRiseBurstsLongBeforeTheQueueReachesTheBurstLine() {
        // the queue grows 3 a second: over the hot-plug line (8) at 3 s, past the burst line (32) only at 11 s
        run(t -> 3 * t, 12);

        Decision burst = firstBurst();
        assertThat(burst.reason()).isEqualTo(ScaleReason.BURST_GROWTH);
        assertThat(decisions.indexOf(burst)).as("second of the burst").isEqualTo(5);
        assertThat(burst.count()).isEqualTo(13); // the hot-plug rule added one node at 3 s
        assertThat(burst.detail()).contains("queue 15 > threshold 4, requests held rising 3.0/s for 5.0s: queue 105 in 30.0s > burst line 48");
        assertThat(nodes).hasSize(16);
    }

    @Test
    void requestsEnteringServiceCountAsGrowthBeforeTheQueueForms() {
        // the 8 batch slots fill 2 a second, then the queue grows 3 a second from 4 s: what the pool holds has
        // risen throughout the window by 6 s, when the queue (6) passes the threshold; the queue alone has
        // risen for only 2 s then
        run(t -> Math.max(0, 3 * (t - 4)), t -> Math.min(8, 2 * t), 12);

        Decision burst = firstBurst();
        assertThat(burst.reason()).isEqualTo(ScaleReason.BURST_GROWTH);
        assertThat(decisions.indexOf(burst)).isEqualTo(6);
    }

    @Test
    void growthWithoutAQueueNeverBursts() {
        // requests entering service 3 a second for a minute, none waiting: the pool is keeping up
        run(t -> 0, t -> 3 * t, 60);

        assertThat(decisions).noneMatch(BurstOnGrowthTest::isBurst);
    }

    @Test
    void aSlowRiseIsLeftToTheHotPlugRule() {
        // half a request a second for two minutes: at 30 s ahead it never reaches the burst line
        run(t -> t / 2, 120);

        assertThat(decisions).noneMatch(BurstOnGrowthTest::isBurst);
        assertThat(decisions).anyMatch(d -> d.reason() == ScaleReason.QUEUE_OVER_THRESHOLD);
    }

    @Test
    void aBriefSpikeBelowTheBurstLineDoesNotBurst() {
        // a queue of 2, then 30 for two seconds (over the hot-plug line, under the burst line), then 2 again
        run(t -> t == 20 || t == 21 ? 30 : 2, 60);

        assertThat(decisions).noneMatch(BurstOnGrowthTest::isBurst);
    }

    @Test
    void aClumpOfArrivalsAfterAFlatStretchDoesNotBurst() {
        // 12 in service throughout; no queue for 20 s, then 1, 2, 7 and 13 waiting, then none again
        int[] clump = {1, 2, 7, 13};
        run(t -> t >= 20 && t < 24 ? clump[t - 20] : 0, t -> 12, 40);

        assertThat(decisions).noneMatch(BurstOnGrowthTest::isBurst);
    }

    @Test
    void aQueueNoisyAroundALevelOverTheHotPlugLineDoesNotBurst() {
        // 12 waiting on average, swinging between 6 and 18 in an irregular pattern
        int[] noise = {0, 5, -4, 6, -6, 2, 4, -5, 3, -2, 6, -3, -6, 1, 5, -1};
        run(t -> 12 + noise[t % noise.length], 300);

        assertThat(decisions).noneMatch(BurstOnGrowthTest::isBurst);
    }

    @Test
    void theGrowthTriggerStaysOffForOneScaleDownCoolDownAfterARelease() {
        // 3 idle nodes release one, down to the minimum of 2; then the queue rises 3 a second at once
        nodes.clear();
        nodes.addAll(Pools.readyNodes(3, 0, 0.0));
        run(t -> 0, 61);
        assertThat(decisions.getLast().action()).isEqualTo(ScaleAction.RELEASE);
        nodes.removeIf(n -> decisions.getLast().nodes().stream().anyMatch(c -> c.nodeId().equals(n.id())));
        decisions.clear();

        run(t -> 3 * t, 20);

        // the hot-plug rule adds a node every cool-down instead (the length trigger stays on)
        assertThat(decisions).noneMatch(d -> d.reason() == ScaleReason.BURST_GROWTH);
        assertThat(decisions).filteredOn(d -> d.reason() == ScaleReason.QUEUE_OVER_THRESHOLD).hasSize(2);
    }

    @Test
    void aQueueOscillatingFasterThanTheGrowthWindowNeverBurstsNorFlaps() {
        // a queue swinging between 0 and 9 every 6 s, 3 a second up and down: each rise lasts 3 s, shorter
        // than the growth window, though it passes the 2 nodes' hot-plug line at every peak
        run(t -> 3 * Math.min(t % 6, 6 - t % 6), 600);

        assertThat(decisions).noneMatch(BurstOnGrowthTest::isBurst);
        assertThat(decisions).filteredOn(d -> d.action() != ScaleAction.HOLD)
                .extracting(Decision::action).containsOnly(ScaleAction.ADD).hasSize(1);
    }

    @Test
    void theLengthTriggerStillBurstsOnAQueueThatAppearsAtOnce() {
        run(t -> t < 3 ? 0 : 40, 5);

        assertThat(firstBurst().reason()).isEqualTo(ScaleReason.BURST);
    }

    private void run(IntUnaryOperator queueAt, int seconds) {
        run(queueAt, t -> 0, seconds);
    }

    private void run(IntUnaryOperator queueAt, IntUnaryOperator inServiceAt, int seconds) {
        for (int t = 0; t < seconds; t++) {
            long now = ticker.read();
            Decision decision = autoscaler.decide(new PoolState(nodes, List.of(), Pools.HOME,
                    List.of(RegionRoom.unlimited(Pools.HOME)), queueAt.applyAsInt(t), inServiceAt.applyAsInt(t)));
            if (decision.action() == ScaleAction.ADD) {
                decision.nodes().forEach(c -> nodes.add(new Node("s" + nodes.size(), c.region(),
                        CapacityKind.DEDICATED, 2.0, now, Lifecycle.STARTING, Double.NaN)));
            }
            decisions.add(decision);
            ticker.advance(Duration.ofSeconds(1));
        }
    }

    private Decision firstBurst() {
        return decisions.stream().filter(BurstOnGrowthTest::isBurst).findFirst().orElseThrow();
    }

    private static boolean isBurst(Decision decision) {
        return decision.reason() == ScaleReason.BURST || decision.reason() == ScaleReason.BURST_GROWTH;
    }
}
