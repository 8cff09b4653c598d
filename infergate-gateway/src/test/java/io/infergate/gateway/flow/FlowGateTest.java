package io.infergate.gateway.flow;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.flow.FlowPolicy;
import io.infergate.core.flow.FlowRequest;
import io.infergate.core.flow.Rejection;
import io.infergate.core.flow.SaturationThresholds;
import io.infergate.core.request.RoutingRequest;
import io.infergate.core.time.FakeTicker;
import io.infergate.gateway.config.FlowControlConfig;
import io.infergate.gateway.event.SentAttempt;
import io.infergate.gateway.fleet.FleetState;
import io.infergate.gateway.fleet.ScrapedFigures;
import io.infergate.gateway.observe.GatewayMetrics;
import io.micrometer.core.instrument.Counter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.BeforeTry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The flow gate and its leases on a fake clock, on the test's thread: no sockets, no event loop. One
 * endpoint serves model {@code m} and takes one request at a time, so a second request queues until the
 * first is settled and its room freed.
 */
class FlowGateTest {

    // Built for each test and (by setUp) for each try of the property, which jqwik runs on one instance.
    private FakeTicker ticker;
    private FleetState fleet;
    private GatewayMetrics metrics;
    private FlowGate gate;

    @BeforeEach
    @BeforeTry
    void setUp() {
        ticker = new FakeTicker();
        fleet = new FleetState(FleetSnapshot.of(List.of(
                Endpoint.builder("e1", URI.create("http://127.0.0.1:1")).models(Set.of("m")).build())));
        metrics = new GatewayMetrics(fleet, new ScrapedFigures(1), "round-robin", Optional.empty());
        gate = new FlowGate(new FlowControlConfig(true, FlowPolicy.builder()
                .saturation(new SaturationThresholds(5, 0.8, 1)).maxQueued(3).build(), Map.of()),
                List.of(), fleet, metrics, ticker);
    }

    @Test
    void aQueuedRequestGoesWhenTheOneAheadIsSentAndDone() {
        FlowLease first = gate.admit("m", "standard", "", FlowRequest.NO_DEADLINE, new Heard());
        Heard secondHeard = new Heard();
        FlowLease second = gate.admit("m", "standard", "", FlowRequest.NO_DEADLINE, secondHeard);
        assertThat(first.state()).isEqualTo(FlowLease.State.GRANTED);
        assertThat(second.state()).isEqualTo(FlowLease.State.QUEUED);

        fleet.acquire(0);
        first.settle();
        gate.tick();
        assertThat(secondHeard.dispatched).as("the first is still in flight").isZero();

        fleet.release(0);
        first.close("client_gone");
        gate.capacityFreed("m");
        assertThat(secondHeard.dispatched).isEqualTo(1);
        assertThat(second.state()).isEqualTo(FlowLease.State.GRANTED);
        assertThat(rejected("client_gone")).as("neither left the queue unserved").isZero();
    }

    @Test
    void theEndOfAnAttemptHeardAsAnObserverHandsItsRoomToTheNextQueuedRequest() {
        FlowLease first = gate.admit("m", "standard", "", FlowRequest.NO_DEADLINE, new Heard());
        Heard secondHeard = new Heard();
        gate.admit("m", "standard", "", FlowRequest.NO_DEADLINE, secondHeard);
        fleet.acquire(0);
        first.settle();

        fleet.release(0);
        gate.attemptEnded(new SentAttempt(new RoutingRequest("r1", "m", 10, 16, false, "standard", "", "",
                RoutingRequest.NO_PREFIX), fleet.snapshot().endpoint(0), EndpointLoad.UNKNOWN, 1, 0), 0);

        assertThat(secondHeard.dispatched).isEqualTo(1);
    }

    @Test
    void aClientGoneWhileQueuedLeavesTheQueueAndIsNeverDispatched() {
        FlowLease first = gate.admit("m", "standard", "", FlowRequest.NO_DEADLINE, new Heard());
        Heard goneHeard = new Heard();
        FlowLease gone = gate.admit("m", "standard", "", FlowRequest.NO_DEADLINE, goneHeard);

        gone.close("client_gone");
        first.close("client_gone");
        gate.tick();

        assertThat(gate.queuedFor("m")).isZero();
        assertThat(goneHeard.dispatched + goneHeard.rejected).isZero();
        assertThat(rejected("client_gone")).isEqualTo(1);
        assertThat(gate.admit("m", "standard", "", FlowRequest.NO_DEADLINE, new Heard()).state())
                .as("the first's unsettled grant was settled when it closed").isEqualTo(FlowLease.State.GRANTED);
    }

    @Test
    void aRequestOverdueInTheQueueIsRejectedOnceAndItsCloseCountsNothing() {
        gate.admit("m", "standard", "", FlowRequest.NO_DEADLINE, new Heard());
        Heard lateHeard = new Heard();
        FlowLease late = gate.admit("m", "standard", "", FlowRequest.NO_DEADLINE, lateHeard);

        ticker.advance(Duration.ofSeconds(11));
        gate.tick();
        late.close("client_gone");

        assertThat(lateHeard.rejected).isEqualTo(1);
        assertThat(late.state()).isEqualTo(FlowLease.State.CLOSED);
        assertThat(rejected("deadline_exceeded")).isEqualTo(1);
        assertThat(rejected("client_gone")).isZero();
    }

    @Test
    void settlingAndClosingTwiceReleaseTheGrantOnce() {
        FlowLease lease = gate.admit("m", "standard", "", FlowRequest.NO_DEADLINE, new Heard());
        lease.settle();
        lease.settle();
        lease.close("client_gone");
        lease.close("shutdown");
        lease.settle();

        assertThat(lease.state()).isEqualTo(FlowLease.State.CLOSED);
        assertThat(gate.admit("m", "standard", "", FlowRequest.NO_DEADLINE, new Heard()).state())
                .isEqualTo(FlowLease.State.GRANTED);
    }

    @Test
    void aGrantHandedToARequestThatClosedMeanwhileIsSettledByTheLease() {
        FlowLease first = gate.admit("m", "standard", "", FlowRequest.NO_DEADLINE, new Heard());
        Heard secondHeard = new Heard();
        FlowLease second = gate.admit("m", "standard", "", FlowRequest.NO_DEADLINE, secondHeard);
        first.close("client_gone");            // frees the room: the queue hands it to the second
        assertThat(secondHeard.dispatched).isEqualTo(1);

        second.close("client_gone");           // its client went before its dispatch ran
        second.settle();                       // the late dispatch finds it closed

        assertThat(gate.admit("m", "standard", "", FlowRequest.NO_DEADLINE, new Heard()).state())
                .isEqualTo(FlowLease.State.GRANTED);
    }

    @Test
    void aRequestClosedWhileTheQueueHandsItOutHasItsGrantSettledByTheLease() {
        FlowGate roomForTwo = new FlowGate(new FlowControlConfig(true, FlowPolicy.builder()
                .saturation(new SaturationThresholds(5, 0.8, 2)).build(), Map.of()), List.of(), fleet, metrics, ticker);
        FlowLease first = roomForTwo.admit("m", "critical", "", FlowRequest.NO_DEADLINE, new Heard());
        FlowLease second = roomForTwo.admit("m", "critical", "", FlowRequest.NO_DEADLINE, new Heard());
        List<FlowLease> queued = new ArrayList<>();
        // The first queued request's dispatch runs while the queue still hands out the second: the second's
        // client goes just then.
        FlowGate.Waiter closesTheNext = new Heard() {
            @Override
            public void dispatch() {
                queued.get(1).close("client_gone");
            }
        };
        queued.add(roomForTwo.admit("m", "critical", "", FlowRequest.NO_DEADLINE, closesTheNext));
        queued.add(roomForTwo.admit("m", "critical", "", FlowRequest.NO_DEADLINE, new Heard()));
        first.settle();
        second.settle();

        roomForTwo.tick();
        queued.getFirst().close("client_gone");

        assertThat(List.of(roomForTwo.admit("m", "critical", "", FlowRequest.NO_DEADLINE, new Heard()).state(),
                roomForTwo.admit("m", "critical", "", FlowRequest.NO_DEADLINE, new Heard()).state()))
                .as("both grants handed out were settled").containsOnly(FlowLease.State.GRANTED);
    }

    /** One step of a random history: a new request, the clock, the queue's tick, or a request's own step. */
    record Step(Kind kind, int lease) {
        enum Kind { ADMIT_STANDARD, ADMIT_SHEDDABLE, ADMIT_CRITICAL, TICK, WAIT, SETTLE, CLOSE, FINISH_SENT }
    }

    /**
     * However admissions, ticks, deadlines, settles and closes interleave, each request hears at most once,
     * nothing is settled twice (the controller would throw), and once every request is closed the pool is
     * exactly as free as at the start: nothing queued, no grant left counting.
     */
    @Property(tries = 300)
    void everyLeaseIsReleasedExactlyOnce(@ForAll("histories") List<Step> history) {
        List<FlowLease> leases = new ArrayList<>();
        List<Heard> heard = new ArrayList<>();
        List<Boolean> inFlight = new ArrayList<>();
        for (Step step : history) {
            FlowLease lease = leases.isEmpty() ? null : leases.get(step.lease() % leases.size());
            int index = leases.isEmpty() ? -1 : step.lease() % leases.size();
            switch (step.kind()) {
                case ADMIT_STANDARD, ADMIT_SHEDDABLE, ADMIT_CRITICAL -> {
                    // Some requests' dispatch closes another request, as its client may go just then.
                    Heard one = step.lease() % 3 != 0 ? new Heard() : new Heard() {
                        @Override
                        public void dispatch() {
                            super.dispatch();
                            leases.get(step.lease() % leases.size()).close("client_gone");
                        }
                    };
                    String priorityClass = step.kind().name().substring("ADMIT_".length()).toLowerCase();
                    leases.add(gate.admit("m", priorityClass, "t" + leases.size() % 2, FlowRequest.NO_DEADLINE, one));
                    heard.add(one);
                    inFlight.add(false);
                }
                case TICK -> gate.tick();
                case WAIT -> ticker.advance(Duration.ofSeconds(4));
                case SETTLE -> {
                    if (lease != null && lease.state() == FlowLease.State.GRANTED) {
                        fleet.acquire(0);   // sent, as the exchange does before settling
                        inFlight.set(index, true);
                    }
                    if (lease != null) {
                        lease.settle();
                    }
                }
                case CLOSE -> {
                    if (lease != null) {
                        lease.close("client_gone");
                    }
                }
                case FINISH_SENT -> {
                    if (lease != null && inFlight.get(index)) {
                        inFlight.set(index, false);
                        fleet.release(0);
                        gate.capacityFreed("m");
                    }
                }
            }
        }
        leases.forEach(lease -> lease.close("client_gone"));
        for (int i = 0; i < leases.size(); i++) {
            if (inFlight.get(i)) {
                fleet.release(0);
            }
        }
        gate.tick();

        heard.forEach(one -> assertThat(one.dispatched + one.rejected).isLessThanOrEqualTo(1));
        assertThat(gate.queuedFor("m")).isZero();
        assertThat(fleet.count(0)).isZero();
        // The highest class: lower ones may find room kept for it after its recent requests.
        assertThat(gate.admit("m", "critical", "", FlowRequest.NO_DEADLINE, new Heard()).state())
                .as("no grant leaked").isEqualTo(FlowLease.State.GRANTED);
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        return Combinators.combine(Arbitraries.of(Step.Kind.class), Arbitraries.integers().between(0, 20))
                .as(Step::new).list().ofMaxSize(40);
    }

    private double rejected(String reason) {
        Counter counter = metrics.registry().find("infergate.flow.rejected").tag("reason", reason).counter();
        return counter == null ? 0 : counter.count();
    }

    /** Counts what a waiter heard. */
    private static class Heard implements FlowGate.Waiter {
        int dispatched;
        int rejected;

        @Override
        public void dispatch() {
            dispatched++;
        }

        @Override
        public void reject(Rejection rejection) {
            rejected++;
        }
    }
}
