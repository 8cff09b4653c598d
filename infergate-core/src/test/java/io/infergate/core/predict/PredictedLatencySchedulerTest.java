package io.infergate.core.predict;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;
import io.infergate.core.health.SlowStart;
import io.infergate.core.request.RoutingRequest;
import io.infergate.core.schedule.Pick;
import io.infergate.core.schedule.PickExplanation;
import io.infergate.core.schedule.Scheduler;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.infergate.core.predict.TestEndpoints.MS;
import static io.infergate.core.predict.TestEndpoints.endpoint;
import static io.infergate.core.predict.TestEndpoints.ofClass;
import static io.infergate.core.predict.TestEndpoints.scraped;
import static io.infergate.core.predict.TestEndpoints.stream;
import static io.infergate.core.predict.TestEndpoints.whole;
import static org.assertj.core.api.Assertions.assertThat;

class PredictedLatencySchedulerTest {

    private final LatencyPredictor predictor = LatencyPredictor.create();

    @Test
    void picksBetweenTwoScrapesSpreadByTheEndpointsSpeedsInsteadOfHerding() {
        // given a fleet scraped idle at t = 0: two A100s, an H100 (3x the A100's prefill) and an L4
        FleetSnapshot fleet = FleetSnapshot.of(
                List.of(endpoint("a100-1", "NVIDIA_A100"), endpoint("a100-2", "NVIDIA_A100"),
                        endpoint("h100", "NVIDIA_H100"), endpoint("l4", "NVIDIA_L4")),
                List.of(idle(), idle(), idle(), idle()));
        Scheduler scheduler = predictor.scheduler(Map.of());
        int[] inFlight = new int[4];
        seenRunning64(fleet);

        // when 100 streams arrive before the next scrape, each recorded as sent
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            RoutingRequest request = stream("r" + i, 512, 128);
            Pick.Chosen pick = (Pick.Chosen) scheduler.pick(request, fleet, slot -> inFlight[slot], MS + i, Set.of());
            predictor.sent(request, fleet.endpoint(pick.slot()), fleet.load(pick.slot()), inFlight[pick.slot()]++,
                    MS + i);
            picks.merge(pick.endpointId(), 1, Integer::sum);
        }

        // then the fast endpoints share them by their prefill speed (about 62, 19 and 19), none all; the L4,
        // which would take more than twice as long over each answer, gets none while the others keep up
        assertThat(picks.get("h100")).isBetween(55, 68);
        assertThat(picks.get("a100-1")).isBetween(14, 24);
        assertThat(picks.get("a100-2")).isBetween(14, 24);
        assertThat(picks).doesNotContainKey("l4");
    }

    @Test
    void picksSentWithoutBeingRecordedStillSpreadThroughTheInFlightCounts() {
        // given
        FleetSnapshot fleet = FleetSnapshot.of(
                List.of(endpoint("a100", "NVIDIA_A100"), endpoint("h100", "NVIDIA_H100")), List.of(idle(), idle()));
        Scheduler scheduler = predictor.scheduler(Map.of());
        int[] inFlight = new int[2];
        seenRunning64(fleet);

        // when 40 streams of the mean prompt size are picked, only the gateway's in-flight counts growing
        for (int i = 0; i < 40; i++) {
            Pick.Chosen pick = (Pick.Chosen) scheduler.pick(stream("r" + i, 512, 128), fleet, slot -> inFlight[slot],
                    MS + i, Set.of());
            inFlight[pick.slot()]++;
        }

        // then about three in four go to the H100, not all
        assertThat(inFlight[1]).isBetween(27, 33);
    }

    @Test
    void withAnObjectiveTheLeastLoadedEndpointPredictedToMeetItIsTaken() {
        // given a busy H100, a lightly loaded A100 and an idle L4, and a class whose first token is due in 300 ms
        FleetSnapshot fleet = FleetSnapshot.of(
                List.of(endpoint("h100", "NVIDIA_H100"), endpoint("a100", "NVIDIA_A100"), endpoint("l4", "NVIDIA_L4")),
                List.of(scraped(0, 40, 0.3, 0), scraped(0, 4, 0.1, 0), idle()));
        seenRunning64(fleet);
        Scheduler scheduler = predictor.scheduler(Map.of(
                "relaxed", LatencySlo.of(Duration.ofMillis(300), null),
                "tight", LatencySlo.of(Duration.ofMillis(100), null),
                "impossible", LatencySlo.of(Duration.ofMillis(5), null)));
        RoutingRequest request = stream("r", 512, 128);

        // then all three meet 300 ms and the idle L4 takes it, keeping the fast ones' headroom
        assertThat(chosen(scheduler, ofClass(request, "relaxed"), fleet)).isEqualTo("l4");
        // the L4 cannot meet 100 ms (about 200): the A100, less loaded than the H100
        assertThat(chosen(scheduler, ofClass(request, "tight"), fleet)).isEqualTo("a100");
        // nothing meets 5 ms: the fastest predicted
        assertThat(chosen(scheduler, ofClass(request, "impossible"), fleet)).isEqualTo("h100");
        // a class without an objective: the fastest predicted
        assertThat(chosen(scheduler, request, fleet)).isEqualTo("h100");
    }

    @Test
    void aLongRequestIsKeptOffTheSlowEndpointWhileAShortOneMayUseIt() {
        // given an A100 running six requests and an idle L4; first tokens are due within 600 ms
        FleetSnapshot fleet = FleetSnapshot.of(
                List.of(endpoint("a100", "NVIDIA_A100"), endpoint("l4", "NVIDIA_L4")),
                List.of(scraped(0, 6, 0.2, 0), idle()));
        Scheduler scheduler = predictor.scheduler(Map.of("standard", LatencySlo.of(Duration.ofMillis(600), null)));

        // then a short prompt goes to the idle L4 (about 100 ms there), a 4 000-token one to the A100
        // (about 1.1 s of prefill on the L4, 0.4 s on the A100)
        assertThat(chosen(scheduler, stream("short", 100, 32), fleet)).isEqualTo("l4");
        assertThat(chosen(scheduler, stream("long", 4_000, 32), fleet)).isEqualTo("a100");
    }

    @Test
    void streamsAreRankedByFirstTokenAndWholeAnswersByEndToEndTime() {
        // given one endpoint that prefills fast but decodes slowly, and one the other way round
        LatencyPredictor custom = LatencyPredictor.withPriors(endpoint -> endpoint.id().equals("fast-prefill")
                ? new SpeedPrior("test", 10_000, 50 * MS, 0, 64)
                : new SpeedPrior("test", 500_000, 5 * MS, 0, 64));
        FleetSnapshot fleet = FleetSnapshot.of(
                List.of(endpoint("fast-prefill", "x"), endpoint("fast-decode", "x")), List.of(idle(), idle()));
        Scheduler scheduler = custom.scheduler(Map.of());

        // then for 1 000 prompt and 20 output tokens: first token 60 against 505 ms, end 1.0 against 0.6 s
        assertThat(chosen(scheduler, stream("s", 1_000, 20), fleet)).isEqualTo("fast-prefill");
        assertThat(chosen(scheduler, whole("w", 1_000, 20), fleet)).isEqualTo("fast-decode");
        // with 200 output tokens the stream's answer would end at 10 s against 1.5 s: more than twice as late
        assertThat(chosen(scheduler, stream("s", 1_000, 200), fleet)).isEqualTo("fast-decode");
    }

    @Test
    void filtersEndpointsAsTheOtherSchedulersDo() {
        // given a fast endpoint that is unhealthy and a slow one that is fine
        FleetSnapshot fleet = FleetSnapshot.of(
                List.of(endpoint("h100", "NVIDIA_H100"), endpoint("l4", "NVIDIA_L4")),
                List.of(idle().withHealthy(false), idle()));
        Scheduler scheduler = predictor.scheduler(Map.of());

        // then
        assertThat(chosen(scheduler, stream("r", 512, 64), fleet)).isEqualTo("l4");
        assertThat(scheduler.pick(stream("r", 512, 64), fleet, InFlight.NONE, 0, Set.of("l4")))
                .isEqualTo(new Pick.NoCandidate("all 2 endpoints serving model '" + TestEndpoints.MODEL
                        + "' are filtered out: 1 unhealthy (accepts-requests), 1 excluded by the caller (not-excluded)",
                        true));
        assertThat(scheduler.pick(new RoutingRequest("r", "other", 1, 1, true, "standard", "", "",
                RoutingRequest.NO_PREFIX), fleet, InFlight.NONE, 0, Set.of()))
                .isEqualTo(new Pick.NoCandidate("no endpoint serves model 'other'", false));
    }

    @Test
    void anEndpointBackInRotationIsEasedInByItsSlowStart() {
        // given two idle A100s, one back from an ejection 2 s into a 10 s slow start (weight 0.2)
        FleetSnapshot fleet = FleetSnapshot.of(
                List.of(endpoint("back", "NVIDIA_A100"), endpoint("steady", "NVIDIA_A100")), List.of(idle(), idle()));
        seenRunning64(fleet);
        long now = 2_000 * MS;
        Scheduler scheduler = predictor.scheduler(Map.of(), Set.of("critical"),
                () -> List.of(new SlowStart("back", 0, 10_000 * MS)));
        int[] inFlight = new int[2];

        // when 20 streams arrive at once, each recorded as sent
        Map<String, Integer> picks = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            RoutingRequest request = stream("r" + i, 512, 128);
            Pick.Chosen pick = (Pick.Chosen) scheduler.pick(request, fleet, slot -> inFlight[slot], now + i, Set.of());
            predictor.sent(request, fleet.endpoint(pick.slot()), fleet.load(pick.slot()), inFlight[pick.slot()]++,
                    now + i);
            picks.merge(pick.endpointId(), 1, Integer::sum);
        }

        // then the one back gets a small share, and the explanation shows its weight
        assertThat(picks.get("back")).isBetween(1, 6);
        PickExplanation explanation = scheduler.explain(stream("x", 512, 128), fleet, slot -> inFlight[slot], now,
                Set.of());
        assertThat(explanation.candidates()).filteredOn(c -> c.endpointId().equals("back"))
                .singleElement().satisfies(c -> assertThat(c.scores()).containsEntry("slow-start", 0.2));
    }

    @Test
    void explainsEachCandidateAndChoosesWhatThePickChooses() {
        // given
        FleetSnapshot fleet = FleetSnapshot.of(
                List.of(endpoint("h100", "NVIDIA_H100"), endpoint("a100", "NVIDIA_A100"), endpoint("l4", "NVIDIA_L4")),
                List.of(scraped(0, 40, 0.3, 0), scraped(0, 4, 0.1, 0), idle().withHealthy(false)));
        seenRunning64(fleet);
        Scheduler scheduler = predictor.scheduler(Map.of("tight", LatencySlo.of(Duration.ofMillis(100), null)));
        RoutingRequest request = ofClass(stream("r", 512, 128), "tight");

        // when
        PickExplanation explanation = scheduler.explain(request, fleet, InFlight.NONE, MS, Set.of());

        // then
        assertThat(explanation.scheduler()).isEqualTo("predicted-latency");
        assertThat(explanation.chosenId())
                .isEqualTo(((Pick.Chosen) scheduler.pick(request, fleet, InFlight.NONE, MS, Set.of())).endpointId())
                .isEqualTo("a100");
        assertThat(explanation.candidates()).extracting(PickExplanation.Candidate::endpointId)
                .containsExactly("a100", "h100", "l4");
        PickExplanation.Candidate h100 = explanation.candidates().get(1);
        assertThat(h100.scores()).containsEntry("predicted-latency", 1.0).containsEntry("slo", 1.0)
                .containsKey("headroom");
        assertThat(explanation.candidates().get(2).filteredBy()).isEqualTo("accepts-requests");
    }

    private static String chosen(Scheduler scheduler, RoutingRequest request, FleetSnapshot fleet) {
        Pick pick = scheduler.pick(request, fleet, InFlight.NONE, MS, Set.of());
        assertThat(pick).isInstanceOf(Pick.Chosen.class);
        return ((Pick.Chosen) pick).endpointId();
    }

    /**
     * Tells the predictor each endpoint of {@code fleet} was seen running 64 requests at once, so it
     * assumes a batch of up to 128 (twice that) rather than probing from 4.
     */
    private void seenRunning64(FleetSnapshot fleet) {
        for (Endpoint endpoint : fleet.endpoints()) {
            predictor.scraped(endpoint, scraped(0, 64, 0.2, 0));
        }
    }

    private static EndpointLoad idle() {
        return scraped(0, 0, 0, 0);
    }
}
