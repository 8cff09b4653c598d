package io.infergate.core.schedule;

import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.request.RoutingRequest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Set;

import static io.infergate.core.schedule.TestFleet.MODEL;
import static io.infergate.core.schedule.TestFleet.scraped;
import static org.assertj.core.api.Assertions.assertThat;

/** Critical requests (or the configured classes) stay off preemptible endpoints while a dedicated one can take them. */
class DedicatedForCriticalTest {

    private static Endpoint endpoint(String id, CapacityKind capacity) {
        return Endpoint.builder(id, URI.create("http://127.0.0.1:8000/" + id)).models(Set.of(MODEL)).capacity(capacity).build();
    }

    private static RoutingRequest request(String priority) {
        return new RoutingRequest("r1", MODEL, 0, -1, false, priority, "", "", RoutingRequest.NO_PREFIX);
    }

    private static Pick pick(String priority, EndpointLoad dedicatedLoad) {
        // the preemptible endpoint is idle, the dedicated one busy: least-in-flight alone would pick "spot"
        FleetSnapshot fleet = FleetSnapshot.of(
                List.of(endpoint("dedicated", CapacityKind.DEDICATED), endpoint("spot", CapacityKind.PREEMPTIBLE)),
                List.of(dedicatedLoad, scraped(0, 0, 0)));
        return Scheduler.leastInFlight().pick(request(priority), fleet, new TestFleet.Counts(9, 0), 0, Set.of());
    }

    @Test
    void criticalRequestsGoToTheDedicatedEndpointEvenWhenItIsBusier() {
        assertThat(pick("critical", scraped(0, 0, 0))).extracting("endpointId").isEqualTo("dedicated");
    }

    @Test
    void otherClassesUsePreemptibleEndpoints() {
        assertThat(pick("sheddable", scraped(0, 0, 0))).extracting("endpointId").isEqualTo("spot");
        assertThat(pick("standard", scraped(0, 0, 0))).extracting("endpointId").isEqualTo("spot");
    }

    @Test
    void theDedicatedClassesAreConfigurable() {
        FleetSnapshot fleet = FleetSnapshot.of(
                List.of(endpoint("dedicated", CapacityKind.DEDICATED), endpoint("spot", CapacityKind.PREEMPTIBLE)),
                List.of(scraped(8, 8, 0.5), scraped(0, 0, 0)));
        Scheduler none = Scheduler.loadAware(SchedulerConfig.defaults().withDedicatedClasses(Set.of()));
        Scheduler fraud = Scheduler.loadAware(SchedulerConfig.defaults().withDedicatedClasses(Set.of("fraud")));

        assertThat(none.pick(request("critical"), fleet, new TestFleet.Counts(8, 0), 0, Set.of()))
                .extracting("endpointId").isEqualTo("spot");
        assertThat(fraud.pick(request("fraud"), fleet, new TestFleet.Counts(8, 0), 0, Set.of()))
                .extracting("endpointId").isEqualTo("dedicated");
        assertThat(Scheduler.loadAware(SchedulerConfig.defaults()).pick(request("critical"), fleet,
                new TestFleet.Counts(8, 0), 0, Set.of())).extracting("endpointId").isEqualTo("dedicated");
    }

    @Test
    void aCriticalRequestUsesAPreemptibleEndpointRatherThanFailWhenNoDedicatedOneCanTakeIt() {
        assertThat(pick("critical", scraped(0, 0, 0).withHealthy(false))).extracting("endpointId").isEqualTo("spot");
    }
}
