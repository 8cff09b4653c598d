package io.infergate.core.flow;

import io.infergate.core.fleet.BatchCapacity;
import io.infergate.core.fleet.CapacityEstimate;
import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.request.RoutingRequest;
import io.infergate.core.schedule.Pick;
import io.infergate.core.schedule.Scheduler;
import io.infergate.core.schedule.SchedulerConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SaturationThresholdsTest {

    private static final String MODEL = "llama";

    @Test
    void roomIsWhatTheWaitingThresholdLeavesOnEachEndpoint() {
        FleetSnapshot fleet = fleet(scraped(0, 8, 0.1, 0), scraped(3, 8, 0.1, 0), scraped(7, 8, 0.1, 0));

        Headroom room = new SaturationThresholds(5, 0.8, 0).headroom(fleet, InFlight.NONE, slots(fleet), 0);

        assertThat(room).isEqualTo(Headroom.of(5 + 2));
    }

    @Test
    void requestsSentSinceTheScrapeCountAsWaiting() {
        FleetSnapshot fleet = fleet(scraped(1, 8, 0.1, 10));
        InFlight twelveNow = slot -> 12;

        Headroom room = new SaturationThresholds(5, 0.8, 0).headroom(fleet, twelveNow, slots(fleet), 0);

        assertThat(room).isEqualTo(Headroom.of(5 - 1 - 2));
    }

    @Test
    void anEndpointPastTheKvCacheThresholdHasNoRoom() {
        FleetSnapshot fleet = fleet(scraped(0, 8, 0.85, 0), scraped(0, 8, 0.5, 0));

        Headroom room = new SaturationThresholds(5, 0.8, 0).headroom(fleet, InFlight.NONE, slots(fleet), 0);

        assertThat(room).isEqualTo(Headroom.of(5));
    }

    @Test
    void theRequestBoundCountsWaitingRunningAndSentSinceTheScrape() {
        FleetSnapshot fleet = fleet(scraped(0, 2, 0.1, 2), scraped(0, 4, 0.1, 4));
        InFlight inFlight = slot -> slot == 0 ? 3 : 4;

        Headroom room = new SaturationThresholds(5, 0.8, 4).headroom(fleet, inFlight, slots(fleet), 0);

        assertThat(room).isEqualTo(Headroom.of(1));
    }

    @Test
    void byDefaultEachEndpointIsBoundedByItsLearntBatchCapacity() {
        // both servers run at most four; one runs four, the other one
        FleetSnapshot fleet = withExportedCapacity(fleet(scraped(0, 4, 0.1, 4), scraped(0, 1, 0.1, 1)), 4);
        InFlight inFlight = slot -> slot == 0 ? 4 : 1;

        Headroom room = SaturationThresholds.DEFAULT.headroom(fleet, inFlight, slots(fleet), 0);

        assertThat(room).isEqualTo(Headroom.of(0 + 3));
        assertThat(SaturationThresholds.DEFAULT.requestBound(fleet, 0))
                .isEqualTo(new BatchCapacity(4, BatchCapacity.Source.EXPORTED));
    }

    @Test
    void aConfiguredBoundWinsOverTheLearntCapacity() {
        FleetSnapshot fleet = withExportedCapacity(fleet(scraped(0, 1, 0.1, 1)), 4);
        SaturationThresholds configured = new SaturationThresholds(5, 0.8, 2);

        assertThat(configured.headroom(fleet, slot -> 1, slots(fleet), 0)).isEqualTo(Headroom.of(1));
        assertThat(configured.requestBound(fleet, 0)).isEqualTo(new BatchCapacity(2, BatchCapacity.Source.CONFIGURED));
    }

    @Test
    void withNoCapacityKnownOnlyTheQueueBounds() {
        FleetSnapshot fleet = fleet(scraped(0, 40, 0.1, 40));

        assertThat(SaturationThresholds.DEFAULT.headroom(fleet, slot -> 40, slots(fleet), 0)).isEqualTo(Headroom.of(5));
        assertThat(SaturationThresholds.DEFAULT.requestBound(fleet, 0)).isEqualTo(BatchCapacity.UNKNOWN);
    }

    @Test
    void theRequestBoundNeverCountsLessThanTheGatewaysOwnInFlightRequests() {
        // the server reports nothing running: the two requests in flight hang before it counts them
        FleetSnapshot fleet = fleet(scraped(0, 0, 0.1, 2));
        InFlight inFlight = slot -> 2;

        Headroom room = new SaturationThresholds(5, 0.8, 3).headroom(fleet, inFlight, slots(fleet), 0);

        assertThat(room).isEqualTo(Headroom.of(1));
    }

    @Test
    void countThresholdsGrowWithTheEndpointsCapacityWeight() {
        List<Endpoint> endpoints = List.of(
                Endpoint.builder("replica", URI.create("http://127.0.0.1:9000")).models(Set.of(MODEL)).replicaSize(2).build(),
                Endpoint.builder("single", URI.create("http://127.0.0.1:9001")).models(Set.of(MODEL)).build());
        FleetSnapshot fleet = FleetSnapshot.of(endpoints, List.of(scraped(1, 8, 0.1, 0), scraped(1, 8, 0.1, 0)));

        Headroom room = new SaturationThresholds(5, 0.8, 12).headroom(fleet, InFlight.NONE, slots(fleet), 0.5);

        // highest: min(10 - 1, 24 - 9) + min(5 - 1, 12 - 9); lower (half): min(5 - 1, 12 - 9) + min(2 - 1, 6 - 9 → 0)
        assertThat(room).isEqualTo(new Headroom(9 + 3, 3 + 0));
    }

    @Test
    void lowerClassesSeeThresholdsReducedByTheReservedShare() {
        // two endpoints of four slots each, three busy on each; a quarter reserved for the highest class
        FleetSnapshot fleet = fleet(scraped(0, 3, 0.1, 3), scraped(0, 3, 0.1, 3));
        InFlight inFlight = slot -> 3;

        Headroom room = new SaturationThresholds(5, 0.8, 4).headroom(fleet, inFlight, slots(fleet), 0.25);

        assertThat(room).isEqualTo(new Headroom(2, 0));
    }

    @Test
    void theKvCacheThresholdIsReducedToo() {
        FleetSnapshot fleet = fleet(scraped(0, 8, 0.7, 0));

        Headroom room = new SaturationThresholds(5, 0.8, 0).headroom(fleet, InFlight.NONE, slots(fleet), 0.2);

        assertThat(room).isEqualTo(new Headroom(5, 0));
    }

    @Test
    void reducedCountThresholdsNeverLockLowerClassesOut() {
        FleetSnapshot fleet = fleet(scraped(0, 0, 0.1, 0));

        Headroom room = new SaturationThresholds(1, 0.8, 1).headroom(fleet, InFlight.NONE, slots(fleet), 0.5);

        assertThat(room).isEqualTo(Headroom.of(1));
    }

    @Test
    void aStaleScrapeLimitsOnlyByTheGatewaysOwnInFlightCount() {
        FleetSnapshot fleet = fleet(scraped(9, 9, 0.99, 0).withStale(true));
        InFlight inFlight = slot -> 1;

        Headroom room = new SaturationThresholds(5, 0.8, 4).headroom(fleet, inFlight, slots(fleet), 0);

        assertThat(room).isEqualTo(Headroom.of(3));
    }

    @Test
    void endpointsThatTakeNoRequestsOfferNoRoomAndAPoolWithoutAnyIsNotHeldBack() {
        FleetSnapshot mixed = fleet(scraped(0, 0, 0.1, 0).withHealthy(false), scraped(4, 0, 0.1, 0));
        FleetSnapshot down = fleet(scraped(0, 0, 0.1, 0).withLifecycle(Lifecycle.DRAINING));
        SaturationThresholds thresholds = new SaturationThresholds(5, 0.8, 0);

        assertThat(thresholds.headroom(mixed, InFlight.NONE, slots(mixed), 0)).isEqualTo(Headroom.of(1));
        assertThat(thresholds.headroom(down, InFlight.NONE, slots(down), 0)).isEqualTo(Headroom.UNLIMITED);
    }

    @Test
    void fullEndpointsAreThoseWithoutRoomForTheClass() {
        // four places each, one kept for the highest class: ep0 has two free, ep1 only the kept one, ep2 none
        FleetSnapshot fleet = fleet(scraped(0, 2, 0.1, 2), scraped(0, 3, 0.1, 3), scraped(0, 4, 0.1, 4));
        InFlight inFlight = slot -> slot + 2;
        SaturationThresholds thresholds = new SaturationThresholds(5, 0.8, 4);

        assertThat(thresholds.full(fleet, inFlight, slots(fleet), Set.of(), 0.25, true)).containsExactly("ep2");
        assertThat(thresholds.full(fleet, inFlight, slots(fleet), Set.of(), 0.25, false)).containsExactlyInAnyOrder("ep1", "ep2");
    }

    @Test
    void whenNoEndpointHasRoomNoneIsCalledFull() {
        FleetSnapshot fleet = fleet(scraped(9, 4, 0.1, 4), scraped(9, 4, 0.1, 4));

        assertThat(new SaturationThresholds(5, 0.8, 4).full(fleet, slot -> 4, slots(fleet), Set.of(), 0.25, true)).isEmpty();
    }

    @Test
    void fullIsDecidedAmongTheEndpointsTheRequestMayStillUse() {
        // ep0 has room but was tried before; ep1 and ep2 are full: they are all a retry has left
        FleetSnapshot fleet = fleet(scraped(0, 0, 0.1, 0), scraped(0, 4, 0.1, 4), scraped(0, 4, 0.1, 4));
        InFlight inFlight = slot -> slot == 0 ? 0 : 4;
        SaturationThresholds thresholds = new SaturationThresholds(5, 0.8, 4);

        assertThat(thresholds.full(fleet, inFlight, slots(fleet), Set.of(), 0.25, true))
                .containsExactlyInAnyOrder("ep1", "ep2");
        assertThat(thresholds.full(fleet, inFlight, slots(fleet), Set.of("ep0"), 0.25, true)).isEmpty();
    }

    @Test
    void excludedEndpointsAreNotNamedFull() {
        FleetSnapshot fleet = fleet(scraped(0, 4, 0.1, 4), scraped(0, 0, 0.1, 0), scraped(0, 4, 0.1, 4));
        InFlight inFlight = slot -> slot == 1 ? 0 : 4;

        assertThat(new SaturationThresholds(5, 0.8, 4).full(fleet, inFlight, slots(fleet), Set.of("ep0"), 0.25, true))
                .containsExactly("ep2");
    }

    @Test
    void avoidingTheFullEndpointsNeverLeavesTheSchedulerWithoutACandidate() {
        // ep0 has room and is preemptible, ep1 and ep2 are full, ep3 is full and draining: try every set of
        // excluded endpoints, with the baseline and the production scheduler, for a standard and a critical
        // request (which the soft dedicated-for-critical filter keeps off ep0 while a dedicated one is left)
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            endpoints.add(Endpoint.builder("ep" + i, URI.create("http://127.0.0.1:" + (9000 + i))).models(Set.of(MODEL))
                    .capacity(i == 0 ? CapacityKind.PREEMPTIBLE : CapacityKind.DEDICATED).build());
        }
        FleetSnapshot fleet = FleetSnapshot.of(endpoints, List.of(scraped(0, 0, 0.1, 0), scraped(0, 4, 0.1, 4),
                scraped(0, 4, 0.1, 4), scraped(0, 4, 0.1, 4).withLifecycle(Lifecycle.DRAINING)));
        InFlight inFlight = slot -> slot == 0 ? 0 : 4;
        SaturationThresholds thresholds = new SaturationThresholds(5, 0.8, 4);
        RoutingRequest standard = RoutingRequest.forModel("r1", MODEL);
        RoutingRequest critical = new RoutingRequest("r2", MODEL, 0, -1, false, "critical", "", "", RoutingRequest.NO_PREFIX);

        for (Scheduler scheduler : List.of(Scheduler.roundRobin(), Scheduler.loadAware(SchedulerConfig.defaults()))) {
            for (RoutingRequest request : List.of(standard, critical)) {
                for (int mask = 0; mask < 1 << 4; mask++) {
                    Set<String> excluded = new HashSet<>();
                    for (int i = 0; i < 4; i++) {
                        if ((mask & 1 << i) != 0) {
                            excluded.add("ep" + i);
                        }
                    }
                    Set<String> avoided = new HashSet<>(excluded);
                    avoided.addAll(thresholds.full(fleet, inFlight, slots(fleet), excluded, 0.25, true));
                    boolean candidateLeft = scheduler.pick(request, fleet, inFlight, 0, excluded) instanceof Pick.Chosen;

                    assertThat(scheduler.pick(request, fleet, inFlight, 0, avoided) instanceof Pick.Chosen)
                            .as("%s, %s request, excluded %s, avoided %s", scheduler.name(), request.priority(), excluded,
                                    avoided)
                            .isEqualTo(candidateLeft);
                }
            }
        }
    }

    @Test
    void invalidThresholdsSayWhatWasExpected() {
        assertThatThrownBy(() -> new SaturationThresholds(0, 0.8, 0))
                .hasMessage("maxWaitingPerEndpoint: 0 (expected: >= 1)");
        assertThatThrownBy(() -> new SaturationThresholds(5, 1.5, 0))
                .hasMessage("maxKvCacheUsage: 1.5 (expected: > 0 and <= 1)");
        assertThatThrownBy(() -> SaturationThresholds.DEFAULT.headroom(fleet(), InFlight.NONE, new int[0], 1))
                .hasMessage("reservedShare: 1.0 (expected: >= 0 and < 1)");
    }

    private static EndpointLoad scraped(int waiting, int running, double kv, int inFlightAtScrape) {
        return new EndpointLoad(waiting, running, kv, Double.NaN, Double.NaN, inFlightAtScrape, 0L, false, true,
                Lifecycle.READY);
    }

    private static FleetSnapshot fleet(EndpointLoad... loads) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (int i = 0; i < loads.length; i++) {
            endpoints.add(Endpoint.builder("ep" + i, URI.create("http://127.0.0.1:" + (9000 + i)))
                    .models(Set.of(MODEL)).build());
        }
        return FleetSnapshot.of(endpoints, List.of(loads));
    }

    /** {@code fleet} with every server exporting a batch limit of {@code requests}. */
    private static FleetSnapshot withExportedCapacity(FleetSnapshot fleet, int requests) {
        for (int slot = 0; slot < fleet.size(); slot++) {
            fleet = fleet.withCapacityEstimate(slot, CapacityEstimate.NONE.observe(requests, 0, 0));
        }
        return fleet;
    }

    private static int[] slots(FleetSnapshot fleet) {
        return fleet.slotsServing(MODEL);
    }
}
