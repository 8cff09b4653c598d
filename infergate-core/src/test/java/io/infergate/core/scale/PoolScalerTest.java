package io.infergate.core.scale;

import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.time.FakeTicker;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.infergate.core.scale.Pools.HOME;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The books and figures a host's autoscaler rests on, on a fake clock: nodes asked for count as starting
 * until they serve, released nodes drain and are stopped once idle, each node's utilisation, the pool's
 * queue and cost, and what happens when the pool cannot be read.
 */
class PoolScalerTest {

    private static final String POOL = "chat";
    private static final String MODEL = "llama";

    private final FakeTicker ticker = new FakeTicker();
    private final AutoscalerConfig.Builder policy = AutoscalerConfig.builder().minNodes(2).maxNodes(4);
    private int maxNumSeqs;

    private PoolScaler scaler() {
        return PoolScaler.builder(POOL, Set.of(MODEL)).policy(policy.build()).homeRegion(HOME)
                .prices(kind -> kind == CapacityKind.PREEMPTIBLE ? 0.8 : 2.1).maxNumSeqs(maxNumSeqs)
                .nodeIdPrefix("chat-auto-")
                .clocks(ticker, Pools.wallClock(Instant.parse("2026-01-05T12:00:00Z"), ticker)).build();
    }

    @Test
    void aNodeAskedForCountsAsStartingUntilItServesAndItsAgeRunsFromTheRequest() {
        PoolScaler scaler = scaler();
        Fleet fleet = new Fleet().node("a", idle(), 0);

        ScalingRound first = scaler.evaluate(fleet.reading(0), room());

        assertThat(first.decision().reason()).isEqualTo(ScaleReason.BELOW_MIN);
        assertThat(first.start()).singleElement().satisfies(spec -> {
            assertThat(spec.id()).isEqualTo("chat-auto-1");
            assertThat(spec.pool()).isEqualTo(POOL);
            assertThat(spec.models()).containsExactly(MODEL);
            assertThat(spec.region()).isEqualTo(HOME);
            assertThat(spec.pricePerHour()).isEqualTo(2.1);
        });

        ticker.advance(Duration.ofSeconds(20));
        ScalingRound whileStarting = scaler.evaluate(fleet.reading(0), room());

        assertThat(whileStarting.decision().action()).isEqualTo(ScaleAction.HOLD);
        assertThat(whileStarting.start()).isEmpty();
        assertThat(byId(scaler.state()).get("chat-auto-1").lifecycle()).isEqualTo(Lifecycle.STARTING);

        ticker.advance(Duration.ofSeconds(10));
        scaler.started("chat-auto-1");
        scaler.evaluate(fleet.node("chat-auto-1", idle(), 0).reading(0), room());

        Node started = byId(scaler.state()).get("chat-auto-1");
        assertThat(started.lifecycle()).isEqualTo(Lifecycle.READY);
        assertThat(started.ageNanos(ticker.read())).isEqualTo(Duration.ofSeconds(30).toNanos());
        assertThat(scaler.state().committedNodes()).isEqualTo(2);
    }

    @Test
    void aNodeThatFailedToStartIsForgottenAndItsReplacementGetsTheNextId() {
        PoolScaler scaler = scaler();
        Fleet fleet = new Fleet().node("a", idle(), 0);
        scaler.evaluate(fleet.reading(0), room());

        scaler.startFailed("chat-auto-1");
        ScalingRound again = scaler.evaluate(fleet.reading(0), room());

        assertThat(again.start()).extracting(NodeSpec::id).containsExactly("chat-auto-2");
        assertThat(scaler.evaluate(fleet.reading(0), room()).start()).isEmpty();
        assertThat(byId(scaler.state())).containsOnlyKeys("a", "chat-auto-2");
    }

    @Test
    void aNewNodeNeverTakesTheIdOfAnEndpointInTheFleet() {
        // an endpoint an earlier autoscaler added and released keeps its id in the gateways' fleets
        Fleet fleet = new Fleet().node("chat-auto-1", idle(), 0);

        ScalingRound round = scaler().evaluate(fleet.reading(0), room());

        assertThat(round.start()).extracting(NodeSpec::id).containsExactly("chat-auto-2");
    }

    @Test
    void withMaxNumSeqsANodesUtilisationIsTheBusierOfItsBatchOccupancyAndItsKvCache() {
        maxNumSeqs = 10;
        PoolScaler scaler = scaler();
        Fleet fleet = new Fleet()
                .node("a", load(2, 3, 0.2, 0.99), 8)     // 8 in flight, 2 of them queued on the server: 6 of 10
                .node("b", load(0, 0, 0.7, 0.99), 1)     // KV cache fuller than the batch
                .node("c", load(0, 9, 0.1, 0.99), 2)     // the server runs more than the gateway sent
                .node("d", load(0, 0, 0.5, 0.5).withStale(true), 0);

        scaler.evaluate(fleet.reading(0), room());

        Map<String, Node> nodes = byId(scaler.state());
        assertThat(nodes.get("a").utilisation()).isCloseTo(0.6, within(1e-9));
        assertThat(nodes.get("b").utilisation()).isCloseTo(0.7, within(1e-9));
        assertThat(nodes.get("c").utilisation()).isCloseTo(0.9, within(1e-9));
        assertThat(nodes.get("d").utilisation()).isNaN();
        assertThat(scaler.state().inService()).isEqualTo(6 + 1 + 9);
    }

    @Test
    void withoutMaxNumSeqsANodesUtilisationIsItsGpuUtilisationElseItsKvCache() {
        PoolScaler scaler = scaler();
        Fleet fleet = new Fleet().node("a", load(0, 1, 0.3, 0.9), 1).node("b", load(0, 1, 0.4, Double.NaN), 1);

        scaler.evaluate(fleet.reading(0), room());

        assertThat(byId(scaler.state()).get("a").utilisation()).isEqualTo(0.9);
        assertThat(byId(scaler.state()).get("b").utilisation()).isEqualTo(0.4);
    }

    @Test
    void eachNodesUtilisationIsSmoothedOverTheWindow() {
        PoolScaler scaler = PoolScaler.builder(POOL, Set.of(MODEL)).policy(policy.build())
                .utilisationWindow(Duration.ofSeconds(10))
                .clocks(ticker, Pools.wallClock(Instant.parse("2026-01-05T12:00:00Z"), ticker)).build();
        scaler.evaluate(new Fleet().node("a", load(0, 0, 0, 0.0), 0).node("b", idle(), 0).reading(0), room());

        ticker.advance(Duration.ofSeconds(10));
        scaler.evaluate(new Fleet().node("a", load(0, 0, 0, 1.0), 0).node("b", idle(), 0).reading(0), room());

        assertThat(byId(scaler.state()).get("a").utilisation()).isCloseTo(1 - Math.exp(-1), within(1e-9));
    }

    @Test
    void theQueueIsTheGatewaysAndTheServersOfThePoolsNodesThatStillTakeRequests() {
        PoolScaler scaler = scaler();
        Fleet fleet = new Fleet()
                .node("a", load(3, 1, 0.1, 0.1), 0)
                .node("b", load(5, 1, 0.1, 0.1).withLifecycle(Lifecycle.DRAINING), 0)
                .node("c", load(7, 1, 0.1, 0.1).withLifecycle(Lifecycle.REMOVED), 0)
                .node("other-1", "other", load(11, 1, 0.1, 0.1), 0);

        scaler.evaluate(fleet.reading(2), room());

        assertThat(scaler.state().queueLength()).isEqualTo(2 + 3);
        assertThat(byId(scaler.state())).containsOnlyKeys("a", "b");
    }

    @Test
    void aReleasedNodeDrainsAndIsStoppedOnceItsLastRequestEndedThenNoLongerCounts() {
        policy.minNodes(1).maxNodes(2);
        PoolScaler scaler = scaler();
        Fleet fleet = new Fleet().node("a", idle(), 0).node("b", idle(), 0).node("c", idle(), 0);

        ScalingRound release = scaler.evaluate(fleet.reading(0), room());

        assertThat(release.decision().reason()).isEqualTo(ScaleReason.ABOVE_MAX);
        assertThat(release.drain()).containsExactly("a");

        ticker.advance(Duration.ofSeconds(1));
        Fleet draining = new Fleet().node("a", idle().withLifecycle(Lifecycle.DRAINING), 2)
                .node("b", idle(), 0).node("c", idle(), 0);
        ScalingRound busy = scaler.evaluate(draining.reading(0), room());

        assertThat(busy.stop()).isEmpty();
        assertThat(byId(scaler.state()).get("a").lifecycle()).isEqualTo(Lifecycle.DRAINING);

        ticker.advance(Duration.ofSeconds(1));
        Fleet done = new Fleet().node("a", idle().withLifecycle(Lifecycle.DRAINING), 0)
                .node("b", idle(), 0).node("c", idle(), 0);
        ScalingRound drained = scaler.evaluate(done.reading(0), room());

        assertThat(drained.stop()).extracting(Endpoint::id).containsExactly("a");
        assertThat(byId(scaler.state())).containsOnlyKeys("b", "c");
        assertThat(scaler.evaluate(done.reading(0), room()).stop()).isEmpty();
        assertThat(scaler.release("a", done.reading(0).fleet())).as("a stopped node is not released twice").isFalse();
    }

    @Test
    void whileAGatewayDoesNotAnswerNoDrainedNodeIsStoppedAndTheDecisionSaysWhatItWasReadWithout() {
        PoolScaler scaler = scaler();
        Fleet fleet = new Fleet().node("a", idle(), 0).node("b", idle().withLifecycle(Lifecycle.DRAINING), 0)
                .node("c", idle(), 0);
        assertThat(scaler.release("b", fleet.reading(0).fleet())).isTrue();

        ScalingRound round = scaler.evaluate(fleet.reading(0, "http://10.0.0.3:8081 (timed out)"), room());

        assertThat(round.stop()).isEmpty();
        assertThat(round.decision().detail()).endsWith("; read without http://10.0.0.3:8081 (timed out)");
        assertThat(scaler.evaluate(fleet.reading(0), room()).stop()).extracting(Endpoint::id).containsExactly("b");
    }

    @Test
    void onlyANodeInTheFleetIsReleasedOutsideAnEvaluation() {
        PoolScaler scaler = scaler();
        FleetSnapshot fleet = new Fleet().node("a", idle(), 0).reading(0).fleet();

        assertThat(scaler.release("a", fleet)).isTrue();
        assertThat(scaler.release("gone", fleet)).isFalse();
    }

    @Test
    void anUnreadablePoolHoldsForNoDataActsOnNothingAndIsLoggedOnce() {
        PoolScaler scaler = scaler();

        ScalingRound round = scaler.unreadable("no gateway answered: http://10.0.0.2:8081 (refused)");

        assertThat(round.decision().action()).isEqualTo(ScaleAction.HOLD);
        assertThat(round.decision().reason()).isEqualTo(ScaleReason.NO_DATA);
        assertThat(round.decision().detail()).isEqualTo("no gateway answered: http://10.0.0.2:8081 (refused)");
        assertThat(round.start()).isEmpty();
        assertThat(round.stop()).isEmpty();
        assertThat(round.drain()).isEmpty();
        assertThat(round.noteworthy()).isTrue();
        assertThat(scaler.unreadable("again").noteworthy()).isFalse();
        assertThat(scaler.state().nodes()).isEmpty();
    }

    @Test
    void theCostPerRequestIsTheLastMinutesCostOverTheRequestsFinishedInIt() {
        PoolScaler scaler = scaler();
        Fleet fleet = new Fleet().node("a", idle(), 0).node("b", idle(), 0);   // 2 × $2/h
        scaler.evaluate(fleet.reading(0, 0), room());
        ticker.advance(Duration.ofSeconds(36));
        scaler.evaluate(fleet.reading(0, 100), room());
        ticker.advance(Duration.ofSeconds(36));
        scaler.evaluate(fleet.reading(0, 300), room());

        // the last minute holds the last 36 s: $4/h for 36 s is $0.04, over the 200 requests finished in them
        assertThat(scaler.costPerRequest()).isCloseTo(0.04 / 200, within(1e-12));
        assertThat(scaler.state().costPerHour()).isEqualTo(4.0);

        ticker.advance(Duration.ofSeconds(90));
        scaler.evaluate(fleet.reading(0, 300), room());

        assertThat(scaler.costPerRequest()).as("no request finished in the last minute").isNaN();
    }

    private static List<RegionRoom> room() {
        return List.of(RegionRoom.unlimited(HOME));
    }

    private static Map<String, Node> byId(PoolState state) {
        return state.nodes().stream().collect(Collectors.toMap(Node::id, Function.identity()));
    }

    /** A ready node with fresh figures and nothing to do. */
    private static EndpointLoad idle() {
        return load(0, 0, 0, 0);
    }

    private static EndpointLoad load(int waiting, int running, double kvCache, double gpu) {
        return new EndpointLoad(waiting, running, kvCache, Double.NaN, gpu, 0, 0L, false, true, Lifecycle.READY);
    }

    /** The pool's endpoints with their figures and in-flight counts, read into a {@link PoolReading}. */
    private static final class Fleet {
        private final List<Endpoint> endpoints = new ArrayList<>();
        private final List<EndpointLoad> loads = new ArrayList<>();
        private final List<Integer> inFlight = new ArrayList<>();

        Fleet node(String id, EndpointLoad load, int sent) {
            return node(id, POOL, load, sent);
        }

        Fleet node(String id, String pool, EndpointLoad load, int sent) {
            endpoints.add(Endpoint.builder(id, URI.create("http://10.0.0." + (endpoints.size() + 1) + ":8000"))
                    .pool(pool).models(Set.of(MODEL)).region(HOME).pricePerHour(2.0).build());
            loads.add(load);
            inFlight.add(sent);
            return this;
        }

        PoolReading reading(int queued, String... unanswered) {
            return reading(queued, 0, unanswered);
        }

        PoolReading reading(int queued, long completed, String... unanswered) {
            int[] counts = inFlight.stream().mapToInt(Integer::intValue).toArray();
            return new PoolReading(FleetSnapshot.of(endpoints, loads), slot -> counts[slot], queued, completed,
                    List.of(unanswered));
        }
    }
}
