package io.infergate.core.fleet;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class CapacityEstimateTest {

    @Test
    void aLimitTheServerExportsIsTheCapacity() {
        CapacityEstimate estimate = CapacityEstimate.NONE.observe(48, 0, 3);

        assertThat(estimate.capacity()).isEqualTo(new BatchCapacity(48, BatchCapacity.Source.EXPORTED));
    }

    @Test
    void theRunningCountsPlateauWhileRequestsWaitIsTheCapacity() {
        CapacityEstimate estimate = CapacityEstimate.NONE;
        // filling: the running count still grows while requests wait
        for (int running : new int[] {2, 3, 4, 4}) {
            estimate = estimate.observe(-1, 6, running);
        }
        assertThat(estimate.capacity()).isEqualTo(BatchCapacity.UNKNOWN);

        // full: the third scrape in a row with requests waiting and four running
        estimate = estimate.observe(-1, 5, 4);

        assertThat(estimate.capacity()).isEqualTo(new BatchCapacity(4, BatchCapacity.Source.OBSERVED));
    }

    @Test
    void aRunningCountWithNothingWaitingIsNoPlateau() {
        CapacityEstimate estimate = CapacityEstimate.NONE;
        for (int i = 0; i < 5; i++) {
            estimate = estimate.observe(-1, 0, 4);
        }

        assertThat(estimate.capacity()).isEqualTo(BatchCapacity.UNKNOWN);
    }

    @Test
    void aServerRunningMoreThanItsPlateauRaisesIt() {
        CapacityEstimate estimate = CapacityEstimate.NONE.observe(-1, 2, 4).observe(-1, 2, 4).observe(-1, 2, 4);

        estimate = estimate.observe(-1, 0, 6);

        assertThat(estimate.capacity()).isEqualTo(new BatchCapacity(6, BatchCapacity.Source.OBSERVED));
    }

    @Test
    void anExportedLimitTheServerReachesWinsOverItsPlateau() {
        CapacityEstimate estimate = CapacityEstimate.NONE.observe(-1, 2, 4).observe(-1, 2, 4).observe(-1, 2, 4);

        assertThat(estimate.observe(4, 2, 4).capacity()).isEqualTo(new BatchCapacity(4, BatchCapacity.Source.EXPORTED));
    }

    @Test
    void aPlateauBelowTheExportedLimitWins() {
        // SGLang's default limit is far above what its KV cache holds
        CapacityEstimate estimate = CapacityEstimate.NONE;
        for (int i = 0; i < CapacityEstimate.PLATEAU_SCRAPES; i++) {
            estimate = estimate.observe(4097, 9, 60);
        }

        assertThat(estimate.capacity()).isEqualTo(new BatchCapacity(60, BatchCapacity.Source.OBSERVED));
    }

    @Test
    void withoutFiguresTheDeclaredAcceleratorsEngineDefaultIsTheCapacity() {
        Endpoint l4 = endpoint("l4", new Accelerator("NVIDIA_L4", 1));
        Endpoint unknownGpu = endpoint("x", new Accelerator("TPU_V5E", 4));
        Endpoint undeclared = endpoint("none", Accelerator.NONE);

        Endpoint profiled = Endpoint.builder("p", URI.create("http://127.0.0.1:9000/p")).models(Set.of("m"))
                .engineProfile("instant").build();
        FleetSnapshot fleet = FleetSnapshot.of(List.of(l4, unknownGpu, undeclared, profiled));

        assertThat(fleet.batchCapacity(0)).isEqualTo(new BatchCapacity(256, BatchCapacity.Source.DECLARED));
        assertThat(fleet.batchCapacity(1)).isEqualTo(BatchCapacity.UNKNOWN);
        assertThat(fleet.batchCapacity(2)).isEqualTo(BatchCapacity.UNKNOWN);
        assertThat(fleet.batchCapacity(3)).as("engine_profile: instant")
                .isEqualTo(new BatchCapacity(4096, BatchCapacity.Source.DECLARED));
        // a plateau, once seen, wins over the declared figure
        CapacityEstimate learnt = fleet.capacityEstimate(0).observe(-1, 3, 4).observe(-1, 3, 4).observe(-1, 3, 4);
        assertThat(fleet.withCapacityEstimate(0, learnt).batchCapacity(0))
                .isEqualTo(new BatchCapacity(4, BatchCapacity.Source.OBSERVED));
    }

    private static Endpoint endpoint(String id, Accelerator accelerator) {
        return Endpoint.builder(id, URI.create("http://127.0.0.1:9000/" + id)).models(Set.of("m"))
                .accelerator(accelerator).build();
    }
}
