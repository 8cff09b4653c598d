package io.infergate.core.schedule;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How {@link Scheduler#loadAware} weighs its scorers and picks among the candidates.
 *
 * <pre>{@code
 * SchedulerConfig config = SchedulerConfig.defaults()
 *         .withWeight("kv-cache-headroom", 1.0)
 *         .withPicker(Picker.POWER_OF_TWO_CHOICES);
 * Scheduler scheduler = Scheduler.loadAware(config);
 * }</pre>
 *
 * <p>Scorers, each scoring an endpoint 0..1 with 1 best:
 * <ul>
 *   <li>{@code queue-depth}: requests waiting on the server, half score at 4;</li>
 *   <li>{@code load}: waiting + running at the last scrape plus what the gateway sent since, half
 *       score at 32; the gateway's in-flight count alone when the scrape is stale;</li>
 *   <li>{@code kv-cache-headroom}: {@code 1 - kvCacheUsage};</li>
 *   <li>{@code in-flight}: requests the gateway has in flight to the endpoint, half score at 32;</li>
 *   <li>{@code prefix-affinity}: the fraction of the request's prompt-prefix blocks the endpoint served
 *       recently, damped when it is busier than the least busy candidate (half at 2 requests more);
 *       runs only in a scheduler given a {@link PrefixIndex}, and only for requests that carry prefix
 *       hashes.</li>
 * </ul>
 * An endpoint's total is the weighted mean of the scores of the scorers that apply to the request.
 *
 * @param scorerWeights weight of each scorer by name, each finite and {@code >= 0}, at least one
 *                      {@code > 0}; a scorer absent or weighted 0 is not run
 * @param picker        how the endpoint is chosen from the totals
 * @param dedicatedClasses priority classes kept off preemptible endpoints while a dedicated one is a
 *                      candidate; default {@code critical}, empty to let every class use preemptible capacity
 */
public record SchedulerConfig(Map<String, Double> scorerWeights, Picker picker, Set<String> dedicatedClasses) {

    /** The priority classes kept on dedicated capacity unless configured otherwise. */
    public static final Set<String> DEFAULT_DEDICATED_CLASSES = Set.of("critical");

    /** A configuration keeping {@link #DEFAULT_DEDICATED_CLASSES} on dedicated capacity. */
    public SchedulerConfig(Map<String, Double> scorerWeights, Picker picker) {
        this(scorerWeights, picker, DEFAULT_DEDICATED_CLASSES);
    }

    /** The names {@link #scorerWeights} accepts, in the order explanations list them. */
    public static final List<String> SCORER_NAMES = BuiltInScorers.NAMES;

    public SchedulerConfig {
        Objects.requireNonNull(scorerWeights, "scorerWeights");
        Objects.requireNonNull(picker, "picker");
        dedicatedClasses = Set.copyOf(dedicatedClasses);
        boolean anyPositive = false;
        for (Map.Entry<String, Double> entry : scorerWeights.entrySet()) {
            if (!SCORER_NAMES.contains(entry.getKey())) {
                throw new IllegalArgumentException("scorerWeights: unknown scorer '" + entry.getKey()
                        + "' (expected one of: " + String.join(", ", SCORER_NAMES) + ")");
            }
            Double weight = entry.getValue();
            if (weight == null || !Double.isFinite(weight) || weight < 0) {
                throw new IllegalArgumentException("scorerWeights." + entry.getKey() + ": " + weight
                        + " (expected: a finite number >= 0)");
            }
            anyPositive |= weight > 0;
        }
        if (!anyPositive) {
            throw new IllegalArgumentException("scorerWeights: " + scorerWeights
                    + " (expected: at least one weight > 0)");
        }
        scorerWeights = Collections.unmodifiableMap(new LinkedHashMap<>(scorerWeights));
    }

    /**
     * Queue depth and load weigh 1, KV-cache headroom 0.5, in-flight 0 (the load scorer already
     * counts the gateway's in-flight requests), prefix affinity 1; max score.
     *
     * <p>Prefix affinity weighs as much as load: a holder of the whole prefix keeps winning against
     * an otherwise equal endpoint until it carries 16 (against an idle one) to 20 (against one with a
     * few requests) requests more, when its load and damped affinity scores together fall below the
     * other's. Queueing behind a cached prefix then starts to cost more than computing the prefix
     * again elsewhere; the request that spills over records the prefix on a second endpoint, and the
     * two then share it.
     */
    public static SchedulerConfig defaults() {
        Map<String, Double> weights = new LinkedHashMap<>();
        weights.put(QueueDepthScorer.NAME, 1.0);
        weights.put(LoadScorer.NAME, 1.0);
        weights.put(KvCacheHeadroomScorer.NAME, 0.5);
        weights.put(InFlightScorer.NAME, 0.0);
        weights.put(PrefixAffinityScorer.NAME, 1.0);
        return new SchedulerConfig(weights, Picker.MAX_SCORE);
    }

    /** The weight of {@code scorer}; 0 when not configured. */
    public double weight(String scorer) {
        return scorerWeights.getOrDefault(scorer, 0.0);
    }

    /** A copy with {@code scorer} weighted {@code weight}. */
    public SchedulerConfig withWeight(String scorer, double weight) {
        Map<String, Double> weights = new LinkedHashMap<>(scorerWeights);
        weights.put(scorer, weight);
        return new SchedulerConfig(weights, picker, dedicatedClasses);
    }

    /** A copy choosing with {@code picker}. */
    public SchedulerConfig withPicker(Picker picker) {
        return new SchedulerConfig(scorerWeights, picker, dedicatedClasses);
    }

    /** A copy keeping the priority classes {@code classes} off preemptible endpoints. */
    public SchedulerConfig withDedicatedClasses(Set<String> classes) {
        return new SchedulerConfig(scorerWeights, picker, classes);
    }
}
