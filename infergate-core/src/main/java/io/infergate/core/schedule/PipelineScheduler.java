package io.infergate.core.schedule;

import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;
import io.infergate.core.request.RoutingRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Every built-in scheduler: {@link Filter}s, then {@link Scorer}s combined by weight, then a
 * {@link Picker} fed by a {@link SeedSource}. The three schedulers differ only in those parts:
 * load-aware weighs the configured scorers, least-in-flight uses the in-flight scorer alone, and
 * round robin uses no scorer (every candidate scores 1) with a per-model counter as the seed, which
 * makes {@link Picker#MAX_SCORE}'s tie-break walk the candidates in turn.
 *
 * <p>A pick allocates nothing that grows with the fleet: candidates, their figures, scores and
 * totals live in a per-thread {@link Candidates} table that grows to the largest pool seen and is
 * then reused.
 */
final class PipelineScheduler implements Scheduler {

    static final String LOAD_AWARE = "load-aware";
    static final String ROUND_ROBIN = "round-robin";
    static final String LEAST_IN_FLIGHT = "least-in-flight";
    static final List<String> NAMES = List.of(LOAD_AWARE, ROUND_ROBIN, LEAST_IN_FLIGHT);

    private static final Filter[] FILTERS = {new AcceptsRequestsFilter(), new NotExcludedFilter()};
    private static final ThreadLocal<Candidates> CANDIDATES = ThreadLocal.withInitial(Candidates::new);

    private final String name;
    private final Scorer[] scorers;
    /** Weight of each scorer divided by the sum of weights, so totals stay in 0..1. */
    private final double[] weights;
    private final Picker picker;
    private final SeedSource seeds;

    private PipelineScheduler(String name, Scorer[] scorers, double[] weights, Picker picker, SeedSource seeds) {
        this.name = name;
        this.scorers = scorers;
        this.weights = weights;
        this.picker = picker;
        this.seeds = seeds;
    }

    static PipelineScheduler loadAware(SchedulerConfig config) {
        Objects.requireNonNull(config, "config");
        List<Scorer> used = new ArrayList<>();
        List<Double> usedWeights = new ArrayList<>();
        for (Scorer scorer : BuiltInScorers.ALL) {
            double weight = config.weight(scorer.name());
            if (weight > 0) {
                used.add(scorer);
                usedWeights.add(weight);
            }
        }
        double sum = usedWeights.stream().mapToDouble(Double::doubleValue).sum();
        double[] normalised = usedWeights.stream().mapToDouble(w -> w / sum).toArray();
        return new PipelineScheduler(LOAD_AWARE, used.toArray(Scorer[]::new), normalised, config.picker(),
                RequestHashSeed.INSTANCE);
    }

    static PipelineScheduler leastInFlight() {
        return new PipelineScheduler(LEAST_IN_FLIGHT, new Scorer[] {BuiltInScorers.named(InFlightScorer.NAME)},
                new double[] {1.0}, Picker.MAX_SCORE, RequestHashSeed.INSTANCE);
    }

    static PipelineScheduler roundRobin() {
        return new PipelineScheduler(ROUND_ROBIN, new Scorer[0], new double[0], Picker.MAX_SCORE,
                new RoundRobinCounters());
    }

    @Override
    public Pick pick(RoutingRequest request, FleetSnapshot fleet, InFlight inFlight, long nowNanos,
                     Set<String> excludedEndpointIds) {
        PickContext context = new PickContext(request, fleet, inFlight, nowNanos, excludedEndpointIds);
        int[] serving = fleet.slotsServing(request.model());
        if (serving.length == 0) {
            return new Pick.NoCandidate("no endpoint serves model '" + request.model() + "'", false);
        }
        Candidates candidates = CANDIDATES.get();
        filter(context, serving, candidates, null);
        if (candidates.count == 0) {
            return new Pick.NoCandidate(allFilteredReason(context, serving), true);
        }
        score(context, candidates, null);
        int chosen = picker.choose(candidates.totals, candidates.count, seeds.next(context));
        int slot = candidates.slots[chosen];
        return new Pick.Chosen(slot, fleet.endpoint(slot).id(), candidates.totals[chosen]);
    }

    @Override
    public PickExplanation explain(RoutingRequest request, FleetSnapshot fleet, InFlight inFlight, long nowNanos,
                                   Set<String> excludedEndpointIds) {
        PickContext context = new PickContext(request, fleet, inFlight, nowNanos, excludedEndpointIds);
        int[] serving = fleet.slotsServing(request.model());
        Candidates candidates = new Candidates();
        List<PickExplanation.Candidate> filtered = new ArrayList<>();
        filter(context, serving, candidates, (slot, filter, reason) -> filtered.add(
                new PickExplanation.Candidate(fleet.endpoint(slot).id(), filter.name(), reason, Map.of(), Double.NaN)));
        int count = candidates.count;
        if (count == 0) {
            return new PickExplanation(request.requestId(), request.model(), name, null, filtered);
        }
        double[][] scoreTable = new double[scorers.length][];
        score(context, candidates, (scorer, scores) -> scoreTable[scorer] = Arrays.copyOf(scores, count));
        int chosen = picker.choose(candidates.totals, count, seeds.peek(context));

        List<PickExplanation.Candidate> passed = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Map<String, Double> scores = new LinkedHashMap<>();
            for (int s = 0; s < scorers.length; s++) {
                scores.put(scorers[s].name(), scoreTable[s][i]);
            }
            passed.add(new PickExplanation.Candidate(fleet.endpoint(candidates.slots[i]).id(), null, null, scores,
                    candidates.totals[i]));
        }
        passed.sort(Comparator.comparingDouble(PickExplanation.Candidate::total).reversed()
                .thenComparing(PickExplanation.Candidate::endpointId));
        passed.addAll(filtered);
        return new PickExplanation(request.requestId(), request.model(), name,
                fleet.endpoint(candidates.slots[chosen]).id(), passed);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name + Arrays.stream(scorers).map(Scorer::name).collect(Collectors.joining(", ", "[", "]"))
                + " " + picker.configName();
    }

    /**
     * Fills {@code candidates} with the endpoints of {@code serving} that pass every filter, and
     * their figures when some scorer will read them.
     */
    private void filter(PickContext context, int[] serving, Candidates candidates, Filter.Rejections rejections) {
        candidates.reset(serving);
        for (Filter filter : FILTERS) {
            candidates.count = filter.retain(context, candidates.slots, candidates.count, rejections);
        }
        if (scorers.length > 0) {
            candidates.gather(context.fleet(), context.inFlight());
        }
    }

    /** Fills {@code candidates.totals} with the weighted total of every scorer. */
    private void score(PickContext context, Candidates candidates, ScoreTable table) {
        int count = candidates.count;
        double[] totals = candidates.totals;
        double[] scores = candidates.scores;
        Arrays.fill(totals, 0, count, scorers.length == 0 ? 1.0 : 0.0);
        for (int s = 0; s < scorers.length; s++) {
            scorers[s].score(context, candidates, scores);
            double weight = weights[s];
            for (int i = 0; i < count; i++) {
                totals[i] += weight * scores[i];
            }
            if (table != null) {
                table.scored(s, scores);
            }
        }
    }

    private String allFilteredReason(PickContext context, int[] serving) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        filter(context, serving, new Candidates(),
                (slot, filter, reason) -> counts.merge(reason + " (" + filter.name() + ")", 1, Integer::sum));
        return "all " + serving.length + " endpoints serving model '" + context.request().model()
                + "' are filtered out: " + counts.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey()).collect(Collectors.joining(", "));
    }

    @FunctionalInterface
    private interface ScoreTable {
        /** {@code scores[0..count)} of scorer number {@code scorer}. */
        void scored(int scorer, double[] scores);
    }
}
