package io.infergate.core.predict;

import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;
import io.infergate.core.health.SlowStart;
import io.infergate.core.random.SplitMix;
import io.infergate.core.request.RoutingRequest;
import io.infergate.core.schedule.EndpointFilters;
import io.infergate.core.schedule.Pick;
import io.infergate.core.schedule.PickExplanation;
import io.infergate.core.schedule.Scheduler;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code predicted-latency} scheduler: after the standard {@link EndpointFilters}, it predicts the
 * request on every candidate and takes the one that answers it soonest: by predicted time to first
 * token for a stream, by predicted end-to-end time for a whole answer. When the request's priority
 * class has a {@link LatencySlo}, the candidates predicted to meet it qualify, and the least loaded of
 * them (fewest requests ahead per batch slot, then the fastest) is taken, which keeps the fast
 * endpoints' headroom for the requests only they can serve in time; when none qualifies, the fastest.
 * A stream without an objective goes, among the candidates predicted to finish its answer within
 * {@value #END_TO_END_SLACK} times the soonest end-to-end time, to one with a free batch slot (where it
 * does not wait in the server's own queue, whose wait is the least sure part of a prediction), and of
 * those to the one that gives its first token soonest. (Free slots first and the end-to-end bound
 * second was tried: it used the slow GPUs' slots for long answers, and the steady bench's first-token
 * p99 went from about 0.4–0.9 s to 4 s.) Exact ties go to a candidate chosen by a hash of
 * the request id and the time. An endpoint in slow start (back in rotation after an ejection) is taken
 * as slower and with a smaller batch by its ramp's weight, at least {@value #MIN_SLOW_START_WEIGHT}.
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
 * its total is 0.5 to 1 (by headroom) for a qualifying candidate and 0 to 0.5 (by speed) otherwise;
 * for a stream without an objective, 0.5 when it answers in time, plus 0.25 when it has a free slot,
 * plus a quarter of its speed score; else its speed score.
 */
final class PredictedLatencyScheduler implements Scheduler {

    static final String NAME = "predicted-latency";
    static final String SPEED_SCORE = "predicted-latency";
    static final String HEADROOM_SCORE = "headroom";
    static final String SLO_SCORE = "slo";
    static final String SLOW_START_SCORE = "slow-start";

    /** The least slow-start weight used: an endpoint just back is taken as ten times slower, not infinitely. */
    static final double MIN_SLOW_START_WEIGHT = 0.1;

    /**
     * A stream goes to the endpoint that gives its first token soonest among those whose predicted
     * end-to-end time is within this many times the fastest's: a slow GPU with an idle slot may start
     * an answer sooner and finish it far later.
     */
    static final double END_TO_END_SLACK = 2;

    private final LatencyPredictor predictor;
    private final Map<String, LatencySlo> slos;
    private final EndpointFilters filters;
    private final Supplier<List<SlowStart>> slowStarts;

    PredictedLatencyScheduler(LatencyPredictor predictor, Map<String, LatencySlo> slos, Set<String> dedicatedClasses,
                              Supplier<List<SlowStart>> slowStarts) {
        this.predictor = predictor;
        this.slos = Map.copyOf(slos);
        this.filters = EndpointFilters.standard(dedicatedClasses);
        this.slowStarts = Objects.requireNonNull(slowStarts, "slowStarts");
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
            if (ranking.weights[i] < 1) {
                scores.put(SLOW_START_SCORE, ranking.weights[i]);
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
        double fastest = Double.MAX_VALUE;
        long fastestEndToEnd = Long.MAX_VALUE;
        boolean anyQualifies = false;
        easeIn(fleet, slots, nowNanos, ranking.weights);
        for (int i = 0; i < count; i++) {
            int slot = slots[i];
            Prediction prediction =
                    predictor.predict(request, fleet.endpoint(slot), fleet.load(slot), inFlight.count(slot), nowNanos);
            ranking.predictions[i] = prediction;
            fastest = Math.min(fastest, ranking.time(request, i));
            fastestEndToEnd = Math.min(fastestEndToEnd, prediction.endToEndNanos());
            ranking.qualifies[i] = ranking.slo != null && ranking.slo.metBy(prediction);
            anyQualifies |= ranking.qualifies[i];
            ranking.room[i] = prediction.backlog().requestsAhead()
                    < Math.max(1, Math.floor(prediction.backlog().batchLimit() * ranking.weights[i]));
        }
        ranking.guarded = !anyQualifies && request.stream();
        for (int i = 0; i < count; i++) {
            Prediction prediction = ranking.predictions[i];
            ranking.speed[i] = Math.max(1, fastest) / Math.max(1, ranking.time(request, i));
            ranking.answersInTime[i] = prediction.endToEndNanos() <= END_TO_END_SLACK * fastestEndToEnd;
            ranking.totals[i] = anyQualifies
                    ? ranking.qualifies[i] ? 0.5 + 0.5 * headroom(prediction) : 0.5 * ranking.speed[i]
                    : ranking.guarded ? (ranking.answersInTime[i] ? 0.5 : 0) + (ranking.room[i] ? 0.25 : 0)
                            + 0.25 * ranking.speed[i]
                    : ranking.speed[i];
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
        } else if (ranking.guarded) {
            if (ranking.answersInTime[i] != ranking.answersInTime[j]) {
                return ranking.answersInTime[i];
            }
            if (ranking.room[i] != ranking.room[j]) {
                return ranking.room[i];
            }
        }
        return ranking.time(request, i) < ranking.time(request, j);
    }

    /**
     * Puts the slow-start weight of each candidate in a ramp into {@code weights} (1 for the others): an
     * endpoint back in rotation is taken as that many times slower and with that share of its batch, so
     * that it draws traffic gradually, as the other schedulers ease it in.
     */
    private void easeIn(FleetSnapshot fleet, int[] slots, long nowNanos, double[] weights) {
        Arrays.fill(weights, 1);
        List<SlowStart> ramps = slowStarts.get();
        for (int r = 0; r < ramps.size(); r++) {
            SlowStart ramp = ramps.get(r);
            int slot = fleet.slotOf(ramp.endpointId());
            for (int i = 0; i < slots.length; i++) {
                if (slots[i] == slot) {
                    weights[i] = Math.max(MIN_SLOW_START_WEIGHT, ramp.weight(nowNanos));
                }
            }
        }
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
        figures.put("slot_wait_ms", millis(backlog.slotWaitNanos()));
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
        /** Whether the candidate has a free batch slot: the request would not wait in its queue. */
        final boolean[] room;
        /** Whether the candidate's predicted end-to-end time is within {@link #END_TO_END_SLACK} of the fastest. */
        final boolean[] answersInTime;
        /** Whether a stream without an objective is ranked with {@link #answersInTime} and {@link #room} first. */
        boolean guarded;
        /** Slow-start weights, 1 for a candidate not in a ramp. */
        final double[] weights;
        final double[] speed;
        final double[] totals;
        int chosen;

        /** Candidate {@code i}'s predicted time for the request, as long again as its slow-start weight is short of 1. */
        double time(RoutingRequest request, int i) {
            return PredictedLatencyScheduler.time(request, predictions[i]) / weights[i];
        }

        Ranking(int count, LatencySlo slo) {
            this.slo = slo;
            this.predictions = new Prediction[count];
            this.qualifies = new boolean[count];
            this.room = new boolean[count];
            this.weights = new double[count];
            this.answersInTime = new boolean[count];
            this.speed = new double[count];
            this.totals = new double[count];
        }
    }
}
