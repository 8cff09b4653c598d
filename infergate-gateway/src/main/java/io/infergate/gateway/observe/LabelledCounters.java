package io.infergate.gateway.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One counter metric with fixed label names, its counters created on first use of each label-value
 * combination and kept, so that counting costs a map lookup rather than a registry search.
 *
 * <pre>{@code
 * LabelledCounters retries = new LabelledCounters(registry, "infergate.retries", "Retried attempts", "reason");
 * retries.increment("timeout");
 * }</pre>
 */
final class LabelledCounters {

    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final List<String> labels;
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

    LabelledCounters(MeterRegistry registry, String name, String description, String... labels) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        this.labels = List.of(labels);
    }

    /** Adds one to the counter of {@code values}, given in the order of the label names. */
    void increment(String... values) {
        if (values.length != labels.size()) {
            throw new IllegalArgumentException(name + " values: " + List.of(values) + " (expected one per label "
                    + labels + ")");
        }
        counters.computeIfAbsent(List.of(values), this::register).increment();
    }

    private Counter register(List<String> values) {
        Counter.Builder builder = Counter.builder(name).description(description);
        for (int i = 0; i < labels.size(); i++) {
            builder.tag(labels.get(i), values.get(i));
        }
        return builder.register(registry);
    }
}
