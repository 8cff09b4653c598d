package io.infergate.gateway.config;

import java.util.Objects;

/**
 * How requests are routed ({@code routing:}).
 *
 * @param scheduler which scheduler picks endpoints; default {@link SchedulerKind#LOAD_AWARE}
 */
public record RoutingConfig(SchedulerKind scheduler) {

    public static final RoutingConfig DEFAULT = new RoutingConfig(SchedulerKind.LOAD_AWARE);

    public RoutingConfig {
        Objects.requireNonNull(scheduler, "scheduler");
    }
}
