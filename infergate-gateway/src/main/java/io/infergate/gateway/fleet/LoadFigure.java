package io.infergate.gateway.fleet;

/** The figures of {@link io.infergate.core.fleet.EndpointLoad} that come from a server's own metrics. */
public enum LoadFigure {
    WAITING, RUNNING, KV_CACHE_USAGE, PREFIX_CACHE_HIT_RATE, GPU_UTILISATION
}
