package io.infergate.gateway.config;

import java.util.Objects;

/**
 * How requests are routed ({@code routing:}).
 *
 * @param scheduler      which scheduler picks endpoints; default {@link SchedulerKind#LOAD_AWARE}
 * @param prefixAffinity whether the {@code load-aware} scheduler prefers the endpoint that served a
 *                       request's prompt prefix recently ({@code prefix_affinity}); default true. The
 *                       other schedulers ignore prefixes either way.
 */
public record RoutingConfig(SchedulerKind scheduler, boolean prefixAffinity) {

    public static final RoutingConfig DEFAULT = new RoutingConfig(SchedulerKind.LOAD_AWARE, true);

    public RoutingConfig {
        Objects.requireNonNull(scheduler, "scheduler");
    }
}
