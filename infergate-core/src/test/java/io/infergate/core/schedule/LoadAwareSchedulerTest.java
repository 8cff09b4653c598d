package io.infergate.core.schedule;

import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.request.RoutingRequest;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static io.infergate.core.schedule.TestFleet.request;
import static io.infergate.core.schedule.TestFleet.scraped;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;
import static org.assertj.core.api.Assertions.within;

class LoadAwareSchedulerTest {

    private final Scheduler scheduler = Scheduler.loadAware(SchedulerConfig.defaults());

    @Test
    void picksTheLeastLoadedEndpoint() {
        // given
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("busy", scraped(3, 20, 0.5))
                .endpoint("light", scraped(0, 4, 0.2))
                .endpoint("medium", scraped(1, 10, 0.3))
                .build();

        // when
        Pick pick = scheduler.pick(request("r1"), fleet, InFlight.NONE, 0, Set.of());

        // then
        assertThat(pick).isInstanceOfSatisfying(Pick.Chosen.class, chosen -> {
            assertThat(chosen.endpointId()).isEqualTo("light");
            assertThat(chosen.slot()).isEqualTo(1);
            assertThat(chosen.score()).isBetween(0.0, 1.0);
        });
    }

    @Test
    void loadCountsPerUnitOfCapacityWeightSoALargerReplicaTakesItsShare() {
        // given a two-node replica (weight 2) and a single server, equally loaded per unit of weight
        FleetSnapshot fleet = TestFleet.builder()
                .weightedEndpoint("replica", 2, scraped(0, 0, 0.1))
                .endpoint("single", scraped(0, 0, 0.1))
                .build();
        TestFleet.Counts inFlight = TestFleet.Counts.zeros(2);

        // when the gateway picks 30 times with no new scrape, counting each request it sends
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            Pick.Chosen pick = (Pick.Chosen) scheduler.pick(request("r" + i), fleet, inFlight, 0, Set.of());
            inFlight.increment(pick.slot());
            picks.merge(pick.endpointId(), 1, Integer::sum);
        }

        // then the replica took twice the single server's share, give or take the last pick
        assertThat(picks.get("replica")).isBetween(19, 21);
    }

    @Test
    void requestsSentSinceTheLastScrapeCountSoPicksBetweenScrapesSpread() {
        // given three equally loaded endpoints, scraped while the gateway had 2 requests on each
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("a", scraped(0, 2, 0.1, 2))
                .endpoint("b", scraped(0, 2, 0.1, 2))
                .endpoint("c", scraped(0, 2, 0.1, 2))
                .build();
        TestFleet.Counts inFlight = new TestFleet.Counts(2, 2, 2);

        // when the gateway picks 30 times with no new scrape, counting each request it sends
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            Pick.Chosen pick = (Pick.Chosen) scheduler.pick(request("r" + i), fleet, inFlight, 0, Set.of());
            inFlight.increment(pick.slot());
            picks.merge(pick.endpointId(), 1, Integer::sum);
        }

        // then each new request went to one of the least loaded, so they share exactly
        assertThat(picks).containsOnly(Map.entry("a", 10), Map.entry("b", 10), Map.entry("c", 10));
    }

    @Test
    void requestsTheServerAlreadyReportedAreNotCountedTwice() {
        // given "a" reported the 5 requests the gateway had sent it; "b" reported 4 and the gateway has 5 there now
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("a", scraped(0, 5, 0.1, 5))
                .endpoint("b", scraped(0, 4, 0.1, 4))
                .build();
        InFlight inFlight = new TestFleet.Counts(5, 5);

        // when
        PickExplanation explanation = scheduler.explain(request("r1"), fleet, inFlight, 0, Set.of());

        // then both carry 5 requests
        assertThat(explanation.candidates())
                .allSatisfy(c -> assertThat(c.scores().get("load")).isCloseTo(32.0 / 37, within(1e-12)));
    }

    @Test
    void staleScrapeFallsBackToTheGatewaysInFlightCount() {
        // given "stale" looked swamped when last scraped, but the gateway has only 1 request on it now;
        // "fresh" is busy: 4 waiting, 30 running and 4 more sent since its scrape
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("stale", scraped(40, 60, 0.9, 1).withStale(true))
                .endpoint("fresh", scraped(4, 30, 0.6, 30))
                .build();
        InFlight inFlight = new TestFleet.Counts(1, 34);

        // when
        Pick pick = scheduler.pick(request("r1"), fleet, inFlight, 0, Set.of());
        PickExplanation explanation = scheduler.explain(request("r1"), fleet, inFlight, 0, Set.of());

        // then its old figures are ignored: load from in-flight alone, the others neutral
        assertThat(pick).extracting("endpointId").isEqualTo("stale");
        PickExplanation.Candidate stale = candidate(explanation, "stale");
        assertThat(stale.scores()).containsExactly(
                entry("queue-depth", 0.5), entry("load", 32.0 / 33), entry("kv-cache-headroom", 0.5));
        assertThat(candidate(explanation, "fresh").scores().get("load")).isEqualTo(32.0 / 70);
    }

    @Test
    void theSameFiguresFreshlyScrapedAreBelieved() {
        // given the same fleet, but the swamped figures are current
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("swamped", scraped(40, 60, 0.9, 1))
                .endpoint("fresh", scraped(4, 30, 0.6, 30))
                .build();

        // when
        Pick pick = scheduler.pick(request("r1"), fleet, new TestFleet.Counts(1, 34), 0, Set.of());

        // then
        assertThat(pick).extracting("endpointId").isEqualTo("fresh");
    }

    @Test
    void unknownFiguresScoreNeutralSoANewEndpointRanksBetweenIdleAndSaturatedOnes() {
        // given a new endpoint with no scrape yet, next to a light and a saturated one
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("light", scraped(0, 2, 0.2))
                .endpoint("saturated", scraped(8, 40, 0.8))
                .endpoint("new", EndpointLoad.UNKNOWN)
                .build();

        // when
        PickExplanation explanation = scheduler.explain(request("r1"), fleet, InFlight.NONE, 0, Set.of());

        // then
        PickExplanation.Candidate fresh = candidate(explanation, "new");
        assertThat(fresh.scores()).containsExactly(
                entry("queue-depth", 0.5), entry("load", 1.0), entry("kv-cache-headroom", 0.5));
        assertThat(fresh.total()).isStrictlyBetween(
                candidate(explanation, "saturated").total(), candidate(explanation, "light").total());
    }

    @Test
    void aNewEndpointIsNotFloodedBeforeItsFirstScrape() {
        // given a new endpoint next to two moderately busy ones
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("a", scraped(1, 16, 0.4))
                .endpoint("b", scraped(1, 16, 0.4))
                .endpoint("new", EndpointLoad.UNKNOWN)
                .build();
        TestFleet.Counts inFlight = TestFleet.Counts.zeros(3);

        // when 30 requests arrive before the next scrape
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 30; i++) {
            Pick.Chosen pick = (Pick.Chosen) scheduler.pick(request("r" + i), fleet, inFlight, 0, Set.of());
            inFlight.increment(pick.slot());
            picks.merge(pick.endpointId(), 1, Integer::sum);
        }

        // then it takes some of them, not all
        assertThat(picks.get("new")).isBetween(5, 20);
    }

    @Test
    void endpointsThatAreUnhealthyStartingDrainingOrExcludedAreNeverPicked() {
        // given idle endpoints that cannot take the request, and one busy endpoint that can
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("unhealthy", scraped(0, 0, 0).withHealthy(false))
                .endpoint("starting", scraped(0, 0, 0).withLifecycle(Lifecycle.STARTING))
                .endpoint("draining", scraped(0, 0, 0).withLifecycle(Lifecycle.DRAINING))
                .endpoint("tried", scraped(0, 0, 0))
                .endpoint("busy", scraped(10, 60, 0.95))
                .build();

        // when
        Pick pick = scheduler.pick(request("r1"), fleet, InFlight.NONE, 0, Set.of("tried"));
        PickExplanation explanation = scheduler.explain(request("r1"), fleet, InFlight.NONE, 0, Set.of("tried"));

        // then
        assertThat(pick).extracting("endpointId").isEqualTo("busy");
        assertThat(explanation.candidates())
                .extracting(PickExplanation.Candidate::endpointId, PickExplanation.Candidate::filteredBy,
                        PickExplanation.Candidate::reason)
                .containsExactly(
                        tuple("busy", null, null),
                        tuple("unhealthy", "accepts-requests", "unhealthy"),
                        tuple("starting", "accepts-requests", "starting"),
                        tuple("draining", "accepts-requests", "draining"),
                        tuple("tried", "not-excluded", "excluded by the caller"));
        assertThat(explanation.candidates().subList(1, 5))
                .allSatisfy(c -> {
                    assertThat(c.scores()).isEmpty();
                    assertThat(c.total()).isNaN();
                });
    }

    @Test
    void aModelNoEndpointServesIsReportedAsNotServed() {
        // given
        FleetSnapshot fleet = TestFleet.builder().endpoint("a", scraped(0, 0, 0)).build();

        // when
        Pick pick = scheduler.pick(RoutingRequest.forModel("r1", "gpt-7"), fleet, InFlight.NONE, 0, Set.of());

        // then
        assertThat(pick).isEqualTo(new Pick.NoCandidate("no endpoint serves model 'gpt-7'", false));
    }

    @Test
    void whenEveryEndpointIsFilteredTheModelIsServedButNoCandidateSaysWhy() {
        // given
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("a", scraped(0, 0, 0).withHealthy(false))
                .endpoint("b", scraped(0, 0, 0).withHealthy(false))
                .endpoint("c", scraped(0, 0, 0).withLifecycle(Lifecycle.DRAINING))
                .build();

        // when
        Pick pick = scheduler.pick(request("r1"), fleet, InFlight.NONE, 0, Set.of());

        // then
        assertThat(pick).isEqualTo(new Pick.NoCandidate("all 3 endpoints serving model 'llama-3.1-8b-instruct' "
                + "are filtered out: 2 unhealthy (accepts-requests), 1 draining (accepts-requests)", true));
    }

    @Test
    void theSameInputsAlwaysGiveTheSamePick() {
        // given idle, identical endpoints, so only the tie-break decides
        TestFleet builder = TestFleet.builder();
        for (int i = 0; i < 16; i++) {
            builder.endpoint("e" + i, scraped(0, 0, 0));
        }
        FleetSnapshot fleet = builder.build();

        // when picking the same request twice, also with a second scheduler instance
        Pick first = scheduler.pick(request("r-42"), fleet, InFlight.NONE, 1234, Set.of());
        Pick second = scheduler.pick(request("r-42"), fleet, InFlight.NONE, 1234, Set.of());
        Pick third = Scheduler.loadAware(SchedulerConfig.defaults())
                .pick(request("r-42"), fleet, InFlight.NONE, 1234, Set.of());

        // then
        assertThat(second).isEqualTo(first);
        assertThat(third).isEqualTo(first);
    }

    @Test
    void equallyGoodEndpointsShareTheTrafficThroughTheSeededTieBreak() {
        // given
        TestFleet builder = TestFleet.builder();
        for (int i = 0; i < 4; i++) {
            builder.endpoint("e" + i, scraped(0, 0, 0));
        }
        FleetSnapshot fleet = builder.build();

        // when
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 400; i++) {
            Pick.Chosen chosen = (Pick.Chosen) scheduler.pick(request("r" + i), fleet, InFlight.NONE, i, Set.of());
            picks.merge(chosen.endpointId(), 1, Integer::sum);
        }

        // then
        assertThat(picks).containsOnlyKeys("e0", "e1", "e2", "e3");
        assertThat(picks.values()).allSatisfy(n -> assertThat(n).isBetween(60, 140));
    }

    @Test
    void weightsChangeTheOutcome() {
        // given "short-queue" has nobody waiting but a full KV cache; "roomy" has a queue but free cache
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("short-queue", scraped(0, 30, 0.95))
                .endpoint("roomy", scraped(3, 10, 0.10))
                .build();
        Map<String, Double> queueOnly = Map.of("queue-depth", 1.0);
        Map<String, Double> cacheOnly = Map.of("kv-cache-headroom", 1.0);

        // when
        Pick byQueue = Scheduler.loadAware(new SchedulerConfig(queueOnly, Picker.MAX_SCORE))
                .pick(request("r1"), fleet, InFlight.NONE, 0, Set.of());
        Pick byCache = Scheduler.loadAware(new SchedulerConfig(cacheOnly, Picker.MAX_SCORE))
                .pick(request("r1"), fleet, InFlight.NONE, 0, Set.of());

        // then
        assertThat(byQueue).extracting("endpointId").isEqualTo("short-queue");
        assertThat(byCache).extracting("endpointId").isEqualTo("roomy");
    }

    @Test
    void theTotalIsTheWeightedMeanOfTheScores() {
        // given
        FleetSnapshot fleet = TestFleet.builder().endpoint("a", scraped(4, 28, 0.25)).build();
        SchedulerConfig config = new SchedulerConfig(Map.of("queue-depth", 3.0, "kv-cache-headroom", 1.0),
                Picker.MAX_SCORE);

        // when
        Pick pick = Scheduler.loadAware(config).pick(request("r1"), fleet, InFlight.NONE, 0, Set.of());

        // then queue-depth 4 / (4 + 4) = 0.5, headroom 0.75
        assertThat(pick).extracting("score").isEqualTo((3 * 0.5 + 1 * 0.75) / 4);
    }

    @Test
    void powerOfTwoChoicesNeverPicksTheWorstEndpoint() {
        // given
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("a", scraped(0, 1, 0.1))
                .endpoint("b", scraped(0, 2, 0.1))
                .endpoint("worst", scraped(9, 90, 0.9))
                .build();
        Scheduler p2c = Scheduler.loadAware(SchedulerConfig.defaults().withPicker(Picker.POWER_OF_TWO_CHOICES));

        // when
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            Pick.Chosen chosen = (Pick.Chosen) p2c.pick(request("r" + i), fleet, InFlight.NONE, i, Set.of());
            picks.merge(chosen.endpointId(), 1, Integer::sum);
        }

        // then "a" wins when drawn with either other; "b" only when drawn with "worst"
        assertThat(picks).containsOnlyKeys("a", "b");
        assertThat(picks.get("a")).isGreaterThan(picks.get("b"));
    }

    @Test
    void weightedRandomPicksInProportionToTheTotals() {
        // given totals of 1 and about 0.5 (with the load scorer alone: 0 and 32 requests)
        FleetSnapshot fleet = TestFleet.builder()
                .endpoint("idle", scraped(0, 0, 0))
                .endpoint("half", scraped(0, 32, 0))
                .build();
        Scheduler weighted = Scheduler.loadAware(
                new SchedulerConfig(Map.of("load", 1.0), Picker.WEIGHTED_RANDOM));

        // when
        int idle = 0;
        for (int i = 0; i < 3000; i++) {
            Pick.Chosen chosen = (Pick.Chosen) weighted.pick(request("r" + i), fleet, InFlight.NONE, i, Set.of());
            idle += chosen.endpointId().equals("idle") ? 1 : 0;
        }

        // then two thirds go to the idle one
        assertThat(idle).isBetween(1850, 2150);
    }

    private static PickExplanation.Candidate candidate(PickExplanation explanation, String endpointId) {
        return explanation.candidates().stream().filter(c -> c.endpointId().equals(endpointId)).findFirst()
                .orElseThrow(() -> new AssertionError("no candidate " + endpointId + " in " + explanation));
    }
}
