package io.infergate.core.schedule;

import java.util.List;

/** The scorers a {@link SchedulerConfig} can weigh, by name, in the order explanations list them. */
final class BuiltInScorers {

    static final List<Scorer> ALL = List.of(
            new QueueDepthScorer(), new LoadScorer(), new KvCacheHeadroomScorer(), new InFlightScorer());

    static final List<String> NAMES = ALL.stream().map(Scorer::name).toList();

    private BuiltInScorers() {
    }

    static Scorer named(String name) {
        for (Scorer scorer : ALL) {
            if (scorer.name().equals(name)) {
                return scorer;
            }
        }
        throw new IllegalArgumentException("scorer: '" + name + "' (expected one of: " + String.join(", ", NAMES) + ")");
    }
}
