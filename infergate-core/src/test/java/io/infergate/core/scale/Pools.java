package io.infergate.core.scale;

import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.time.FakeTicker;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;

/** Builds pools and a wall clock driven by a {@link FakeTicker} for the scaling tests. */
final class Pools {

    static final String HOME = "eu-west";

    private Pools() {
    }

    /** A wall clock that reads {@code origin} when the ticker reads 0 and moves with it. */
    static InstantSource wallClock(Instant origin, FakeTicker ticker) {
        return () -> origin.plusNanos(ticker.read());
    }

    /** A ready dedicated node in the home region, started {@code age} before ticker time {@code now}. */
    static Node ready(String id, Duration age, long now, double utilisation) {
        return new Node(id, HOME, CapacityKind.DEDICATED, 2.0, now - age.toNanos(), Lifecycle.READY, utilisation);
    }

    /** {@code count} ready nodes {@code n0, n1, ...}, each one minute younger than the one before. */
    static List<Node> readyNodes(int count, long now, double utilisation) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(ready("n" + i, Duration.ofMinutes(count - i), now, utilisation));
        }
        return nodes;
    }
}
