package io.infergate.core.schedule;

import io.infergate.core.fleet.FleetSnapshot;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static io.infergate.core.schedule.TestFleet.request;
import static io.infergate.core.schedule.TestFleet.scraped;
import static org.assertj.core.api.Assertions.assertThat;

class LeastInFlightSchedulerTest {

    @Test
    void picksTheEndpointWithFewestGatewayRequestsIgnoringScrapedFigures() {
        // given "quiet" looks busiest to the server's metrics but has the fewest gateway requests
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("a", scraped(0, 0, 0))
                .endpoint("quiet", scraped(9, 90, 0.95))
                .endpoint("c", scraped(0, 0, 0))
                .build();

        // when
        Pick pick = Scheduler.leastInFlight()
                .pick(request("r1"), fleet, new TestFleet.Counts(5, 2, 3), 0, Set.of());

        // then
        assertThat(pick).extracting("endpointId").isEqualTo("quiet");
    }

    @Test
    void skipsEndpointsThatDoNotAcceptRequests() {
        // given
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("down", scraped(0, 0, 0).withHealthy(false))
                .endpoint("up", scraped(0, 0, 0))
                .build();

        // when
        Pick pick = Scheduler.leastInFlight().pick(request("r1"), fleet, new TestFleet.Counts(0, 7), 0, Set.of());

        // then
        assertThat(pick).extracting("endpointId").isEqualTo("up");
    }
}
