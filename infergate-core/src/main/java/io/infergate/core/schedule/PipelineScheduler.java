package io.infergate.core.schedule;

import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;
import io.infergate.core.health.SlowStart;
import io.infergate.core.request.RoutingRequest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Every built-in scheduler: {@link Filter}s, then {@link Scorer}s combined by weight, then a
 * {@link Picker} fed by a {@link SeedSource}. The three schedulers differ only in those parts:
 * load-aware weighs the configured scorers, least-in-flight uses the in-flight scorer alone, and
 * round robin uses no scorer (every candidate scores 1) with a per-model counter as the seed, which
 * makes {@link Picker#MAX_SCORE}'s tie-break walk the candidates in turn. Load-aware also multiplies
 * the total of each endpoint in {@link SlowStart} by its weight before the picker sees it.
 *
 * <p>State read besides the arguments: the {@link PrefixIndex} of the {@code prefix-affinity} scorer
 * and the slow-start list. {@link #explain} reads the same, so it reproduces a pick made on the same
 * arguments as long as neither changed in between.
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

    /** The explanation's name for the multiplier of an endpoint in slow start. */
    static final String SLOW_START = "slow-start";

    private static final EndpointFilters DEFAULT_FILTERS =
            EndpointFilters.standard(SchedulerConfig.DEFAULT_DEDICATED_CLASSES);
    private static final Supplier<List<SlowStart>> NO_SLOW_STARTS = List::of;
    private static final ThreadLocal<Candidates> CANDIDATES = ThreadLocal.withInitial(Candidates::new);

    private final String name;
    private final Scorer[] scorers;
    /**
     * Configured weight of each scorer. A pick divides them by the sum of the weights of the scorers
     * that apply to its request, so totals stay in 0..1.
     */
    private final double[] weights;
    private final Picker picker;
    private final SeedSource seeds;
    private final Supplier<List<SlowStart>> slowStarts;
    private final EndpointFilters filters;

    private PipelineScheduler(String name, Scorer[] scorers, double[] weights, Picker picker, SeedSource seeds,
                              Supplier<List<SlowStart>> slowStarts, EndpointFilters filters) {
        this.filters = filters;
        this.name = name;
        this.scorers = scorers;
        this.weights = weights;
        this.picker = picker;
        this.seeds = seeds;
        this.slowStarts = slowStarts;
    }

    static PipelineScheduler loadAware(SchedulerConfig config, PrefixIndex prefixIndex,
                                       Supplier<List<SlowStart>> slowStarts) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(slowStarts, "slowStarts");
        List<Scorer> used = new ArrayList<>();
        List<Double> usedWeights = new ArrayList<>();
        for (Scorer scorer : BuiltInScorers.all(prefixIndex)) {
            double weight = config.weight(scorer.name());
            if (weight > 0) {
                used.add(scorer);
                usedWeights.add(weight);
            }
        }
        if (used.isEmpty()) {
            throw new IllegalArgumentException("scorerWeights: " + config.scorerWeights() + " (expected: a weight > 0"
                    + " on a scorer other than " + PrefixAffinityScorer.NAME + " when no PrefixIndex is given)");
        }
        return new PipelineScheduler(LOAD_AWARE, used.toArray(Scorer[]::new),
                usedWeights.stream().mapToDouble(Double::doubleValue).toArray(), config.picker(),
                RequestHashSeed.INSTANCE, slowStarts, EndpointFilters.standard(config.dedicatedClasses()));
    }

    static PipelineScheduler leastInFlight() {
        return new PipelineScheduler(LEAST_IN_FLIGHT, new Scorer[] {new InFlightScorer()},
                new double[] {1.0}, Picker.MAX_SCORE, RequestHashSeed.INSTANCE, NO_SLOW_STARTS, DEFAULT_FILTERS);
    }

    static PipelineScheduler roundRobin() {
        return new PipelineScheduler(ROUND_ROBIN, new Scorer[0], new double[0], Picker.MAX_SCORE,
                new RoundRobinCounters(), NO_SLOW_STARTS, DEFAULT_FILTERS);
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
            return new Pick.NoCandidate(filters.noneLeftReason(context, serving), true);
        }
        score(context, candidates, null);
        List<SlowStart> ramps = slowStarts.get();
        if (!ramps.isEmpty()) {
            easeIn(context, candidates, ramps, null);
        }
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
        double[] slowStartWeights = new double[count];
        Arrays.fill(slowStartWeights, Double.NaN);
        easeIn(context, candidates, slowStarts.get(), (i, weight) -> slowStartWeights[i] = weight);
        int chosen = picker.choose(candidates.totals, count, seeds.peek(context));

        List<PickExplanation.Candidate> passed = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Map<String, Double> scores = new LinkedHashMap<>();
            for (int s = 0; s < scorers.length; s++) {
                if (scoreTable[s] != null) {
                    scores.put(scorers[s].name(), scoreTable[s][i]);
                }
            }
            if (!Double.isNaN(slowStartWeights[i])) {
                scores.put(SLOW_START, slowStartWeights[i]);
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
        candidates.count = filters.retain(context, candidates.slots, candidates.count, rejections);
        if (scorers.length > 0) {
            candidates.gather(context.fleet(), context.inFlight());
        }
    }

    /**
     * Fills {@code candidates.totals} with the weighted mean of the scorers that apply to the
     * request; 1 for every candidate when none does (round robin has no scorer at all).
     */
    private void score(PickContext context, Candidates candidates, ScoreTable table) {
        int count = candidates.count;
        double[] totals = candidates.totals;
        double[] scores = candidates.scores;
        RoutingRequest request = context.request();
        double weightSum = 0;
        for (int s = 0; s < scorers.length; s++) {
            if (scorers[s].appliesTo(request)) {
                weightSum += weights[s];
            }
        }
        Arrays.fill(totals, 0, count, weightSum == 0 ? 1.0 : 0.0);
        for (int s = 0; s < scorers.length; s++) {
            if (!scorers[s].appliesTo(request)) {
                continue;
            }
            scorers[s].score(context, candidates, scores);
            double weight = weights[s] / weightSum;
            for (int i = 0; i < count; i++) {
                totals[i] += weight * scores[i];
            }
            if (table != null) {
                table.scored(s, scores);
            }
        }
    }

    /**
     * Multiplies the totals of the candidates in {@code ramps} by their slow-start weight, telling
     * {@code applied} (when not null) each candidate's index and weight. Costs a lookup per ramp.
     */
    private static void easeIn(PickContext context, Candidates candidates, List<SlowStart> ramps, Ramped applied) {
        for (int r = 0; r < ramps.size(); r++) {
            SlowStart ramp = ramps.get(r);
            int i = candidates.indexOf(context.fleet().slotOf(ramp.endpointId()));
            if (i >= 0) {
                double weight = ramp.weight(context.nowNanos());
                candidates.totals[i] *= weight;
                if (applied != null) {
                    applied.weighted(i, weight);
                }
            }
        }
    }

    @FunctionalInterface
    private interface ScoreTable {
        /** {@code scores[0..count)} of scorer number {@code scorer}; not called for scorers that do not apply. */
        void scored(int scorer, double[] scores);
    }

    @FunctionalInterface
    private interface Ramped {
        /** Candidate {@code i}'s total was multiplied by its slow-start {@code weight}. */
        void weighted(int i, double weight);
    }
}
