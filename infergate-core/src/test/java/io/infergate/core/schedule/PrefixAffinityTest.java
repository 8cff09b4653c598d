package io.infergate.core.schedule;

import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;
import io.infergate.core.health.SlowStart;
import io.infergate.core.request.RoutingRequest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static io.infergate.core.schedule.PrefixIndexTest.prompt;
import static io.infergate.core.schedule.TestFleet.request;
import static io.infergate.core.schedule.TestFleet.scraped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PrefixAffinityTest {

    private final PrefixIndex index = PrefixIndex.builder().build();
    private final List<SlowStart> slowStarts = new ArrayList<>();
    private final Scheduler scheduler = Scheduler.loadAware(SchedulerConfig.defaults(), index, () -> slowStarts);

    private final FleetSnapshot evenFleet = TestFleet.builder()
            .endpoint("a", scraped(0, 4, 0.3))
            .endpoint("b", scraped(0, 4, 0.3))
            .endpoint("c", scraped(0, 4, 0.3))
            .build();

    @Test
    void aRequestGoesWhereItsPrefixWasServed() {
        // given "b" served a conversation's first turn
        index.record(prompt(11, 12, 13), "b", 0);

        // when later turns of that conversation, with different ids, are picked on an evenly loaded fleet
        for (int turn = 0; turn < 20; turn++) {
            RoutingRequest next = new RoutingRequest("turn-" + turn, TestFleet.MODEL, 0, -1, false, "standard", "", "",
                    new long[] {11, 12, 13, 100 + turn});
            Pick pick = scheduler.pick(next, evenFleet, InFlight.NONE, turn, Set.of());

            // then every one goes to "b"
            assertThat(pick).isInstanceOfSatisfying(Pick.Chosen.class, c -> assertThat(c.endpointId()).isEqualTo("b"));
        }
    }

    @Test
    void theScoreIsTheFractionOfTheRequestsBlocksServed() {
        // given "a" served two of the four blocks and "b" all four
        index.record(prompt(1, 2), "a", 0);
        index.record(prompt(1, 2, 3, 4), "b", 0);

        // when
        PickExplanation explanation = scheduler.explain(prompt(1, 2, 3, 4), evenFleet, InFlight.NONE, 1, Set.of());

        // then
        assertThat(explanation.chosenId()).isEqualTo("b");
        assertThat(score(explanation, "b")).isEqualTo(1.0);
        assertThat(score(explanation, "a")).isEqualTo(0.5);
        assertThat(score(explanation, "c")).isEqualTo(0.0);
    }

    @Test
    void aPrefixHolderBusierThanTheOthersIsDampedAndSpillsOverWhenFarBusier() {
        // given "b" holds the whole prefix; the gateway has sent it some requests since the scrape
        index.record(prompt(1, 2, 3, 4), "b", 0);

        // when b carries 2 more than the others, its affinity halves but it still wins
        PickExplanation two = scheduler.explain(prompt(1, 2, 3, 4), evenFleet, new TestFleet.Counts(0, 2, 0), 1,
                Set.of());
        assertThat(score(two, "b")).isCloseTo(0.5, within(1e-9));
        assertThat(two.chosenId()).isEqualTo("b");

        // when it carries 12 more, another endpoint wins: the hot endpoint is not flooded
        PickExplanation twelve = scheduler.explain(prompt(1, 2, 3, 4), evenFleet, new TestFleet.Counts(0, 12, 0), 1,
                Set.of());
        assertThat(twelve.chosenId()).isNotEqualTo("b");
    }

    @Test
    void aRequestWithoutPrefixHashesScoresExactlyAsWithoutTheScorer() {
        // given a random fleet, and the prefix index holding something
        index.record(prompt(1, 2), "a", 0);
        Scheduler plain = Scheduler.loadAware(SchedulerConfig.defaults());
        Random random = new Random(3);
        TestFleet builder = TestFleet.builder();
        for (int i = 0; i < 10; i++) {
            builder.endpoint("e" + i, scraped(random.nextInt(5), random.nextInt(40), random.nextDouble()));
        }
        FleetSnapshot fleet = builder.build();

        // when
        PickExplanation withIndex = scheduler.explain(request("r"), fleet, InFlight.NONE, 1, Set.of());
        PickExplanation without = plain.explain(request("r"), fleet, InFlight.NONE, 1, Set.of());

        // then the prefix scorer did not run and the totals are the same
        assertThat(withIndex.candidates()).isEqualTo(without.candidates());
        assertThat(withIndex.candidates().getFirst().scores()).doesNotContainKey("prefix-affinity");
        assertThat(withIndex.chosenId()).isEqualTo(without.chosenId());
    }

    @Test
    void anEndpointInSlowStartHasItsTotalMultipliedByItsWeight() {
        // given "a" re-admitted 250 ms into a one-second ramp, and otherwise the best endpoint
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("a", scraped(0, 0, 0.0))
                .endpoint("b", scraped(1, 10, 0.4))
                .build();
        slowStarts.add(new SlowStart("a", 0, 1_000_000_000L));
        Scheduler without = Scheduler.loadAware(SchedulerConfig.defaults());

        // when
        PickExplanation ramping = scheduler.explain(request("r"), fleet, InFlight.NONE, 250_000_000L, Set.of());
        PickExplanation plain = without.explain(request("r"), fleet, InFlight.NONE, 250_000_000L, Set.of());

        // then
        assertThat(candidate(ramping, "a").scores()).containsEntry("slow-start", 0.25);
        assertThat(candidate(ramping, "a").total()).isCloseTo(0.25 * candidate(plain, "a").total(), within(1e-9));
        assertThat(plain.chosenId()).isEqualTo("a");
        assertThat(ramping.chosenId()).isEqualTo("b");
        assertThat(scheduler.pick(request("r"), fleet, InFlight.NONE, 250_000_000L, Set.of()))
                .isInstanceOfSatisfying(Pick.Chosen.class, c -> assertThat(c.endpointId()).isEqualTo("b"));
        // and once the ramp is over, it is the best again
        assertThat(scheduler.explain(request("r"), fleet, InFlight.NONE, 1_000_000_000L, Set.of()).chosenId())
                .isEqualTo("a");
    }

    @Test
    void explainNamesTheEndpointPickChoosesWithPrefixesAndSlowStarts() {
        // given random fleets, prefixes recorded on random endpoints, and one endpoint ramping
        Random random = new Random(11);
        for (int round = 0; round < 200; round++) {
            int size = 1 + random.nextInt(12);
            TestFleet builder = TestFleet.builder();
            int[] counts = new int[size];
            for (int i = 0; i < size; i++) {
                builder.endpoint("e" + i, scraped(random.nextInt(4), random.nextInt(30), random.nextDouble()));
                counts[i] = random.nextInt(20);
            }
            FleetSnapshot fleet = builder.build();
            long[] hashes = {random.nextInt(5), random.nextInt(5), random.nextInt(5)};
            index.record(prompt(hashes), "e" + random.nextInt(size), round);
            slowStarts.clear();
            slowStarts.add(new SlowStart("e" + random.nextInt(size), round - 5, 10));
            RoutingRequest request = new RoutingRequest("r" + round, TestFleet.MODEL, 0, -1, false, "standard", "",
                    "", hashes);

            // when
            PickExplanation explanation = scheduler.explain(request, fleet, new TestFleet.Counts(counts), round, Set.of());
            Pick pick = scheduler.pick(request, fleet, new TestFleet.Counts(counts), round, Set.of());

            // then
            assertThat(pick).isInstanceOfSatisfying(Pick.Chosen.class, chosen -> {
                assertThat(chosen.endpointId()).isEqualTo(explanation.chosenId());
                assertThat(chosen.score()).isEqualTo(candidate(explanation, chosen.endpointId()).total());
            });
        }
    }

    private static double score(PickExplanation explanation, String endpointId) {
        return candidate(explanation, endpointId).scores().get("prefix-affinity");
    }

    private static PickExplanation.Candidate candidate(PickExplanation explanation, String endpointId) {
        return explanation.candidates().stream().filter(c -> c.endpointId().equals(endpointId)).findFirst()
                .orElseThrow();
    }
}
