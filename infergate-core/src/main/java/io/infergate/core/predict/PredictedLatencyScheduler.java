package io.infergate.core.predict;

import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;
import io.infergate.core.random.SplitMix;
import io.infergate.core.request.RoutingRequest;
import io.infergate.core.schedule.EndpointFilters;
import io.infergate.core.schedule.Pick;
import io.infergate.core.schedule.PickExplanation;
import io.infergate.core.schedule.Scheduler;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code predicted-latency} scheduler: after the standard {@link EndpointFilters}, it predicts the
 * request on every candidate and takes the one that answers it soonest: by predicted time to first
 * token for a stream, by predicted end-to-end time for a whole answer. When the request's priority
 * class has a {@link LatencySlo}, the candidates predicted to meet it qualify, and the least loaded of
 * them (fewest requests ahead per batch slot, then the fastest) is taken, which keeps the fast
 * endpoints' headroom for the requests only they can serve in time; when none qualifies, the fastest.
 * Exact ties go to a candidate chosen by a hash of the request id and the time.
 *
 * <p>A pick reads the predictor and changes nothing. Each request sent is recorded with
 * {@link LatencyPredictor#sent}, which puts its predicted work in the endpoint's backlog, so the picks
 * made between two scrapes see each other's work and spread by the endpoints' speeds instead of all
 * going to the one that was fastest at the scrape. (Requests sent but not recorded still count, at the
 * mean size, through the gateway's in-flight counts.)
 *
 * <p>In {@link #explain}, each candidate's scores are {@code predicted-latency} (the fastest
 * candidate's predicted time divided by its own, 1 for the fastest), {@code headroom}
 * ({@code 1 / (1 + occupancy)}) and, under an objective, {@code slo} (1 when predicted to meet it);
 * its total is 0.5 to 1 (by headroom) for a qualifying candidate and 0 to 0.5 (by speed) otherwise,
 * or its speed score when no candidate qualifies or there is no objective.
 */
final class PredictedLatencyScheduler implements Scheduler {

    static final String NAME = "predicted-latency";
    static final String SPEED_SCORE = "predicted-latency";
    static final String HEADROOM_SCORE = "headroom";
    static final String SLO_SCORE = "slo";

    private final LatencyPredictor predictor;
    private final Map<String, LatencySlo> slos;
    private final EndpointFilters filters;

    PredictedLatencyScheduler(LatencyPredictor predictor, Map<String, LatencySlo> slos, Set<String> dedicatedClasses) {
        this.predictor = predictor;
        this.slos = Map.copyOf(slos);
        this.filters = EndpointFilters.standard(dedicatedClasses);
    }

    @Override
    public Pick pick(RoutingRequest request, FleetSnapshot fleet, InFlight inFlight, long nowNanos,
                     Set<String> excludedEndpointIds) {
        if (fleet.slotsServing(request.model()).length == 0) {
            return new Pick.NoCandidate("no endpoint serves model '" + request.model() + "'", false);
        }
        int[] slots = filters.passing(request, fleet, inFlight, nowNanos, excludedEndpointIds);
        if (slots.length == 0) {
            return new Pick.NoCandidate(filters.noneLeftReason(request, fleet, inFlight, nowNanos, excludedEndpointIds),
                    true);
        }
        Ranking ranking = rank(request, fleet, inFlight, slots, nowNanos);
        int slot = slots[ranking.chosen];
        return new Pick.Chosen(slot, fleet.endpoint(slot).id(), ranking.totals[ranking.chosen]);
    }

    @Override
    public PickExplanation explain(RoutingRequest request, FleetSnapshot fleet, InFlight inFlight, long nowNanos,
                                   Set<String> excludedEndpointIds) {
        int[] slots = filters.passing(request, fleet, inFlight, nowNanos, excludedEndpointIds);
        List<PickExplanation.Candidate> rejected =
                filters.rejected(request, fleet, inFlight, nowNanos, excludedEndpointIds);
        if (slots.length == 0) {
            return new PickExplanation(request.requestId(), request.model(), NAME, null, rejected);
        }
        Ranking ranking = rank(request, fleet, inFlight, slots, nowNanos);
        List<PickExplanation.Candidate> candidates = new ArrayList<>();
        for (int i = 0; i < slots.length; i++) {
            Map<String, Double> scores = new LinkedHashMap<>();
            scores.put(SPEED_SCORE, ranking.speed[i]);
            scores.put(HEADROOM_SCORE, headroom(ranking.predictions[i]));
            if (ranking.slo != null) {
                scores.put(SLO_SCORE, ranking.qualifies[i] ? 1.0 : 0.0);
            }
            candidates.add(new PickExplanation.Candidate(fleet.endpoint(slots[i]).id(), null, null, scores,
                    ranking.totals[i], figures(ranking.predictions[i])));
        }
        candidates.sort(Comparator.comparingDouble(PickExplanation.Candidate::total).reversed()
                .thenComparing(PickExplanation.Candidate::endpointId));
        candidates.addAll(rejected);
        return new PickExplanation(request.requestId(), request.model(), NAME,
                fleet.endpoint(slots[ranking.chosen]).id(), candidates);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String toString() {
        return NAME + slos.keySet();
    }

    private Ranking rank(RoutingRequest request, FleetSnapshot fleet, InFlight inFlight, int[] slots, long nowNanos) {
        int count = slots.length;
        Ranking ranking = new Ranking(count, slos.get(request.priority()));
        long fastest = Long.MAX_VALUE;
        boolean anyQualifies = false;
        for (int i = 0; i < count; i++) {
            int slot = slots[i];
            Prediction prediction =
                    predictor.predict(request, fleet.endpoint(slot), fleet.load(slot), inFlight.count(slot), nowNanos);
            ranking.predictions[i] = prediction;
            fastest = Math.min(fastest, time(request, prediction));
            ranking.qualifies[i] = ranking.slo != null && ranking.slo.metBy(prediction);
            anyQualifies |= ranking.qualifies[i];
        }
        for (int i = 0; i < count; i++) {
            ranking.speed[i] = (double) Math.max(1, fastest) / Math.max(1, time(request, ranking.predictions[i]));
            ranking.totals[i] = !anyQualifies ? ranking.speed[i]
                    : ranking.qualifies[i] ? 0.5 + 0.5 * headroom(ranking.predictions[i])
                    : 0.5 * ranking.speed[i];
        }
        int start = SplitMix.index(SplitMix.mix(request.requestId().hashCode() + nowNanos), count);
        int best = start;
        for (int step = 1; step < count; step++) {
            int i = (start + step) % count;
            if (better(request, ranking, anyQualifies, i, best)) {
                best = i;
            }
        }
        ranking.chosen = best;
        return ranking;
    }

    /** Whether candidate {@code i} is strictly better than candidate {@code j}. */
    private static boolean better(RoutingRequest request, Ranking ranking, boolean anyQualifies, int i, int j) {
        Prediction a = ranking.predictions[i];
        Prediction b = ranking.predictions[j];
        if (anyQualifies) {
            if (ranking.qualifies[i] != ranking.qualifies[j]) {
                return ranking.qualifies[i];
            }
            if (ranking.qualifies[i] && a.backlog().occupancy() != b.backlog().occupancy()) {
                return a.backlog().occupancy() < b.backlog().occupancy();
            }
        }
        return time(request, a) < time(request, b);
    }

    /** What the request waits for: its first token when streamed, the whole answer otherwise. */
    private static long time(RoutingRequest request, Prediction prediction) {
        return request.stream() ? prediction.timeToFirstTokenNanos() : prediction.endToEndNanos();
    }

    /** A prediction and its inputs, in milliseconds, tokens a second and counts, for {@code /admin/picks}. */
    private static Map<String, Double> figures(Prediction prediction) {
        Map<String, Double> figures = new LinkedHashMap<>();
        figures.put("ttft_ms", millis(prediction.timeToFirstTokenNanos()));
        figures.put("end_to_end_ms", millis(prediction.endToEndNanos()));
        figures.put("overhead_ms", millis(prediction.overheadNanos()));
        figures.put("queue_wait_ms", millis(prediction.queueWaitNanos()));
        figures.put("prefill_ms", millis(prediction.prefillNanos()));
        figures.put("first_step_ms", millis(prediction.firstStepNanos()));
        figures.put("step_ms", millis(prediction.stepNanos()));
        figures.put("output_tokens", (double) prediction.outputTokens());
        figures.put("batch", (double) prediction.batch());
        Backlog backlog = prediction.backlog();
        figures.put("requests_ahead", (double) backlog.requestsAhead());
        figures.put("unprefilled_tokens", (double) backlog.unprefilledTokens());
        figures.put("batch_limit", (double) backlog.batchLimit());
        figures.put("scraped", backlog.scraped() ? 1.0 : 0.0);
        EndpointSpeeds speeds = prediction.speeds();
        figures.put("prefill_tokens_per_s", speeds.prefillTokensPerSecond());
        figures.put("decode_tokens_per_s", speeds.decodeTokensPerSecond());
        figures.put("prefill_factor", speeds.prefillFactor());
        figures.put("decode_factor", speeds.decodeFactor());
        figures.put("queue_factor", speeds.queueFactor());
        return figures;
    }

    private static double millis(long nanos) {
        return nanos / 1e6;
    }

    private static double headroom(Prediction prediction) {
        return 1 / (1 + prediction.backlog().occupancy());
    }

    /** One pick's predictions and scores, by candidate index. */
    private static final class Ranking {
        final LatencySlo slo;
        final Prediction[] predictions;
        final boolean[] qualifies;
        final double[] speed;
        final double[] totals;
        int chosen;

        Ranking(int count, LatencySlo slo) {
            this.slo = slo;
            this.predictions = new Prediction[count];
            this.qualifies = new boolean[count];
            this.speed = new double[count];
            this.totals = new double[count];
        }
    }
}
