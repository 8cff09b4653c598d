package io.infergate.core.schedule;

import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;
import io.infergate.core.request.RoutingRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicIntegerArray;

import static io.infergate.core.schedule.TestFleet.request;
import static io.infergate.core.schedule.TestFleet.scraped;
import static org.assertj.core.api.Assertions.assertThat;

class RoundRobinSchedulerTest {

    private final Scheduler scheduler = Scheduler.roundRobin();

    @Test
    void takesTheEndpointsInTurnWhateverTheirLoad() {
        // given
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("a", scraped(9, 90, 0.9))
                .endpoint("b", scraped(0, 0, 0))
                .endpoint("c", scraped(0, 0, 0))
                .build();

        // when
        List<String> picks = pickIds(fleet, TestFleet.request("r"), 6);

        // then
        assertThat(picks).containsExactly("a", "b", "c", "a", "b", "c");
    }

    @Test
    void skipsEndpointsThatDoNotAcceptRequestsOrAreExcluded() {
        // given
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("a", scraped(0, 0, 0))
                .endpoint("down", scraped(0, 0, 0).withHealthy(false))
                .endpoint("b", scraped(0, 0, 0))
                .endpoint("tried", scraped(0, 0, 0))
                .build();

        // when
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Pick pick = scheduler.pick(request("r" + i), fleet, InFlight.NONE, 0, Set.of("tried"));
            picks.add(((Pick.Chosen) pick).endpointId());
        }

        // then
        assertThat(picks).containsExactly("a", "b", "a", "b");
    }

    @Test
    void eachModelHasItsOwnTurn() {
        // given
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("a", scraped(0, 0, 0), "chat", "embed")
                .endpoint("b", scraped(0, 0, 0), "chat", "embed")
                .build();

        // when
        List<String> chat = pickIds(fleet, RoutingRequest.forModel("c", "chat"), 3);
        List<String> embed = pickIds(fleet, RoutingRequest.forModel("e", "embed"), 1);

        // then
        assertThat(chat).containsExactly("a", "b", "a");
        assertThat(embed).containsExactly("a");
    }

    @Test
    void explainShowsTheNextPickWithoutTakingTheTurn() {
        // given
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("a", scraped(0, 0, 0))
                .endpoint("b", scraped(0, 0, 0))
                .build();
        pickIds(fleet, request("r"), 1);

        // when
        PickExplanation first = scheduler.explain(request("r"), fleet, InFlight.NONE, 0, Set.of());
        PickExplanation again = scheduler.explain(request("r"), fleet, InFlight.NONE, 0, Set.of());

        // then
        assertThat(first.chosenId()).isEqualTo("b");
        assertThat(again.chosenId()).isEqualTo("b");
        assertThat(first.candidates()).allSatisfy(c -> {
            assertThat(c.scores()).isEmpty();
            assertThat(c.total()).isEqualTo(1.0);
        });
        assertThat(pickIds(fleet, request("r"), 1)).containsExactly("b");
    }

    @Test
    @Timeout(10)
    void picksFromManyThreadsAtOnceStillShareEvenly() throws Exception {
        // given
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("a", scraped(0, 0, 0))
                .endpoint("b", scraped(0, 0, 0))
                .endpoint("c", scraped(0, 0, 0))
                .endpoint("d", scraped(0, 0, 0))
                .build();
        int threads = 4;
        int picksPerThread = 20_000;
        AtomicIntegerArray perSlot = new AtomicIntegerArray(4);

        // when
        try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < picksPerThread; i++) {
                        Pick pick = scheduler.pick(request("r"), fleet, InFlight.NONE, 0, Set.of());
                        perSlot.incrementAndGet(((Pick.Chosen) pick).slot());
                    }
                }));
            }
            for (Future<?> future : done) {
                future.get();
            }
        }

        // then every turn was taken exactly once
        for (int slot = 0; slot < 4; slot++) {
            assertThat(perSlot.get(slot)).isEqualTo(threads * picksPerThread / 4);
        }
    }

    private List<String> pickIds(FleetSnapshot fleet, RoutingRequest request, int picks) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < picks; i++) {
            ids.add(((Pick.Chosen) scheduler.pick(request, fleet, InFlight.NONE, i, Set.of())).endpointId());
        }
        return ids;
    }
}
