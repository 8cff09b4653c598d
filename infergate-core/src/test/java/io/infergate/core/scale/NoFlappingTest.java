package io.infergate.core.scale;

import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.time.FakeTicker;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A closed loop: a load measured in busy nodes, a pool whose utilisation and queue follow it, and the
 * autoscaler's decisions applied after a start-up delay. An oscillating or noisy load must not make it
 * add and release in turn.
 */
class NoFlappingTest {

    private static final Duration START_UP = Duration.ofSeconds(20);

    private final FakeTicker ticker = new FakeTicker();
    private final Autoscaler autoscaler = new Autoscaler(
            AutoscalerConfig.builder().minNodes(2).maxNodes(16).queueThreshold(4).maxReleaseStep(2)
                    .scaleUpCooldown(Duration.ofSeconds(10)).scaleDownCooldown(Duration.ofSeconds(60)).build(),
            ticker, Pools.wallClock(Instant.parse("2026-01-05T12:00:00Z"), ticker));
    private final List<Node> nodes = new ArrayList<>();
    private final List<ScaleAction> actions = new ArrayList<>();
    private int nextId;
    private double peakUtilisation;

    private void startWith(int count) {
        for (int i = 0; i < count; i++) {
            nodes.add(new Node("n" + nextId++, Pools.HOME, CapacityKind.DEDICATED, 2.0, 0, Lifecycle.READY, Double.NaN));
        }
    }

    @Test
    void anOscillatingLoadSettlesWithoutReleasingAndAddingInTurn() {
        startWith(6);
        // given a 6-node pool and a load swinging between 4 and 10 busy nodes every 40 s (faster than the 60 s
        // scale-down cool-down)
        DoubleUnaryOperator load = t -> 7 + 3 * Math.sin(2 * Math.PI * t / 40);

        // when it runs for 20 minutes
        run(load, 1200);

        // then the pool grew to carry the peaks, gave back at most what the peaks do not need, never added
        // after releasing, and then stopped changing
        assertThat(directionChanges()).isLessThanOrEqualTo(1);
        assertThat(actions.getFirst()).isEqualTo(ScaleAction.ADD);
        int settled = nodes.size();
        assertThat(settled).isBetween(11, 13);
        int decided = actions.size();
        run(load, 1200);
        assertThat(actions).hasSize(decided);
        assertThat(nodes).hasSize(settled);
    }

    @Test
    void theSamePoolShrinksOnceTheLoadStaysLow() {
        startWith(6);
        run(t -> 7 + 3 * Math.sin(2 * Math.PI * t / 40), 600);
        int peakNodes = nodes.size();

        run(t -> 2, 900);

        assertThat(nodes.size()).isLessThan(peakNodes).isBetween(3, 4);
        assertThat(directionChanges()).isEqualTo(1);
    }

    @Test
    void aSmallPoolNearTheBandsTopHoldsThroughNoise() {
        // given 3 nodes carrying 2.655 busy nodes (88.5 %, the band's middle) and a measured figure that
        // wanders +-4 points around it, often past the band's top: a fourth node would be at 66 %
        startWith(3);
        Random random = new Random(8);
        double[] noise = {0};
        DoubleUnaryOperator load = t -> {
            noise[0] = 0.9 * noise[0] + 0.1 * random.nextGaussian() * 0.18;
            return 2.655 * (1 + noise[0]);
        };

        // when it runs for an hour
        run(load, 3600);

        // then it neither added nor released
        assertThat(actions).isEmpty();
        assertThat(nodes).hasSize(3);
        assertThat(peakUtilisation).as("the noise did pass the band's top").isGreaterThan(0.93);
    }

    private void run(DoubleUnaryOperator busyNodes, int seconds) {
        for (int s = 0; s < seconds; s++) {
            long now = ticker.read();
            nodes.replaceAll(n -> n.lifecycle() == Lifecycle.STARTING && now - n.startedAtNanos() >= START_UP.toNanos()
                    ? new Node(n.id(), n.region(), n.capacity(), n.pricePerHour(), n.startedAtNanos(), Lifecycle.READY, 0)
                    : n);
            long ready = nodes.stream().filter(n -> n.lifecycle() == Lifecycle.READY).count();
            double busy = busyNodes.applyAsDouble(s);
            double utilisation = ready == 0 ? 1 : Math.min(1, busy / ready);
            peakUtilisation = Math.max(peakUtilisation, utilisation);
            int queue = (int) Math.max(0, (busy - ready) * 8);
            nodes.replaceAll(n -> n.lifecycle() == Lifecycle.READY
                    ? new Node(n.id(), n.region(), n.capacity(), n.pricePerHour(), n.startedAtNanos(), n.lifecycle(), utilisation)
                    : n);

            Decision decision = autoscaler.decide(PoolState.of(nodes, Pools.HOME, queue));
            switch (decision.action()) {
                case ADD -> decision.nodes().forEach(c -> nodes.add(new Node("n" + nextId++, c.region(),
                        CapacityKind.DEDICATED, 2.0, now, Lifecycle.STARTING, Double.NaN)));
                case RELEASE -> decision.nodes().forEach(c -> nodes.removeIf(n -> n.id().equals(c.nodeId())));
                case HOLD -> { }
            }
            if (decision.action() != ScaleAction.HOLD) {
                actions.add(decision.action());
            }
            ticker.advance(Duration.ofSeconds(1));
        }
    }

    private int directionChanges() {
        int changes = 0;
        for (int i = 1; i < actions.size(); i++) {
            if (actions.get(i) != actions.get(i - 1)) {
                changes++;
            }
        }
        return changes;
    }
}
