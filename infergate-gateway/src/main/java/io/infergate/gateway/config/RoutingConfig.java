package io.infergate.gateway.config;

import java.util.Objects;
import java.util.Set;

/**
 * How requests are routed ({@code routing:}).
 *
 * @param scheduler      which scheduler picks endpoints; default {@link SchedulerKind#PREDICTED_LATENCY}
 * @param prefixAffinity whether the {@code load-aware} scheduler prefers the endpoint that served a
 *                       request's prompt prefix recently ({@code prefix_affinity}); default true. The
 *                       other schedulers ignore prefixes either way.
 * @param dedicatedClasses priority classes kept off {@code preemptible} endpoints while a dedicated one
 *                       can take them ({@code dedicated_classes}); default {@code [critical]}, {@code []}
 *                       lets every class use preemptible capacity
 */
public record RoutingConfig(SchedulerKind scheduler, boolean prefixAffinity, Set<String> dedicatedClasses) {

    public static final RoutingConfig DEFAULT = new RoutingConfig(SchedulerKind.PREDICTED_LATENCY, true, Set.of("critical"));

    public RoutingConfig {
        Objects.requireNonNull(scheduler, "scheduler");
        dedicatedClasses = Set.copyOf(dedicatedClasses);
    }
}
