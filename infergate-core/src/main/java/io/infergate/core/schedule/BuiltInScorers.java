package io.infergate.core.schedule;

import java.util.ArrayList;
import java.util.List;

/** The scorers a {@link SchedulerConfig} can weigh, by name, in the order explanations list them. */
final class BuiltInScorers {

    static final List<String> NAMES = List.of(QueueDepthScorer.NAME, LoadScorer.NAME, KvCacheHeadroomScorer.NAME,
            InFlightScorer.NAME, PrefixAffinityScorer.NAME);

    private BuiltInScorers() {
    }

    /**
     * One of each scorer, in the order of {@link #NAMES}; {@code prefix-affinity} reads
     * {@code prefixIndex} and is left out when it is null.
     */
    static List<Scorer> all(PrefixIndex prefixIndex) {
        List<Scorer> scorers = new ArrayList<>(List.of(
                new QueueDepthScorer(), new LoadScorer(), new KvCacheHeadroomScorer(), new InFlightScorer()));
        if (prefixIndex != null) {
            scorers.add(new PrefixAffinityScorer(prefixIndex));
        }
        return scorers;
    }
}
