package io.infergate.core.engine;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;

/**
 * The order in which an {@link EngineModel} admits waiting requests into its running batch, as vLLM's
 * {@code --scheduling-policy}. Neither policy preempts a running request to admit a waiting one: vLLM's
 * V1 engine preempts only when a running request cannot grow its KV cache, which the model avoids by reserving a
 * request's whole cache on admission.
 *
 * <pre>{@code
 * EngineModel engine = new EngineModel(profile, SchedulingPolicy.PRIORITY);
 * engine.submit(now, 500, 100, 0);   // admitted before any waiting request of priority 1 or more
 * }</pre>
 */
public enum SchedulingPolicy {

    /** First come, first served; a request's priority is ignored. vLLM's default. */
    FCFS(Comparator.comparingLong(Waiting::arrival)),

    /**
     * Lower {@code priority} values first, ties by arrival: vLLM's {@code --scheduling-policy priority},
     * which orders its waiting queue by (priority, arrival time).
     */
    PRIORITY(Comparator.comparingLong(Waiting::priority).thenComparingLong(Waiting::arrival));

    private final Comparator<Waiting> order;

    SchedulingPolicy(Comparator<Waiting> order) {
        this.order = order;
    }

    /** The policy spelled as vLLM's flag value, {@code fcfs} or {@code priority}, in any case. */
    public static SchedulingPolicy named(String name) {
        return Arrays.stream(values()).filter(p -> p.name().equalsIgnoreCase(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("scheduling policy: " + name
                        + " (expected: fcfs or priority)"));
    }

    /** The spelling of vLLM's flag value, e.g. {@code priority}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    Comparator<Waiting> order() {
        return order;
    }

    /** What the order reads of a waiting request: its priority and its arrival rank (earlier is smaller). */
    interface Waiting {
        long priority();

        long arrival();
    }
}
