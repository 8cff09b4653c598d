package io.infergate.loadgen.bench;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The systems a bench compares, all in front of the same fleet. */
public enum SystemKind {
    /** No proxy: the load generator spreads requests over the fleet itself, round robin. */
    DIRECT,
    /** nginx, {@code upstream} round robin. */
    NGINX_RR,
    /** nginx, {@code least_conn}. */
    NGINX_LC,
    /** HAProxy, {@code balance roundrobin}. */
    HAPROXY_RR,
    /** HAProxy, {@code balance leastconn}. */
    HAPROXY_LC,
    /** The infergate gateway, in a child JVM, with its default retries and health checks. */
    INFERGATE,
    /**
     * The same gateway tuned by hand beside {@code infergate}'s defaults: in {@code faults}, retries and health
     * checks tuned to the bench's short requests ({@link Failover}); in {@code priority}, flow control with each
     * server's batch size configured and half of it kept for critical ({@link BenchScenario#gatewayFlow});
     * elsewhere it equals {@code infergate}.
     */
    INFERGATE_TUNED,
    /** The same gateway with flow control switched off: a proxy routing by its default scheduler and nothing more. */
    INFERGATE_NO_FLOW,
    /** The same gateway routing on load alone: its prefix affinity switched off ({@code routing.prefix_affinity: false}). */
    INFERGATE_NO_PREFIX,
    /** The same gateway with its scheduler pinned to {@code load-aware} ({@code routing.scheduler}), whatever the default. */
    INFERGATE_LOAD_AWARE,
    /** The same gateway with its scheduler pinned to {@code predicted-latency} ({@code routing.scheduler}), whatever the default. */
    INFERGATE_PREDICTED,
    /** The same gateway with API keys on: a tenant with one key, local limits too high ever to refuse. */
    INFERGATE_AUTH,
    /** As {@code infergate-auth}, with the limits counted in a Redis the bench starts ({@code rate_limits.backend: redis}). */
    INFERGATE_REDIS;

    /** The name in results and on the command line, e.g. {@code nginx-rr}. */
    public String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Whether requests pass through a proxy process whose CPU and memory can be read. */
    public boolean hasProxy() {
        return this != DIRECT;
    }

    /** Whether this is infergate's gateway, in one of its settings. */
    public boolean isInfergate() {
        return this == INFERGATE || this == INFERGATE_TUNED || this == INFERGATE_NO_FLOW || this == INFERGATE_NO_PREFIX
                || this == INFERGATE_LOAD_AWARE || this == INFERGATE_PREDICTED || requiresApiKey();
    }

    /** The {@code routing:} settings the gateway gets: its defaults but for what this system is about. */
    public GatewayRouting routing() {
        return switch (this) {
            case INFERGATE_NO_PREFIX -> GatewayRouting.withoutPrefixAffinity();
            case INFERGATE_LOAD_AWARE -> GatewayRouting.scheduler("load-aware");
            case INFERGATE_PREDICTED -> GatewayRouting.scheduler("predicted-latency");
            default -> GatewayRouting.DEFAULT;
        };
    }

    /**
     * Whether the bench runs this system only when named: the security systems, and the pinned schedulers
     * (compared beside {@code infergate} on purpose, e.g. {@code --systems nginx-lc,infergate,infergate-predicted}).
     */
    public boolean onlyWhenNamed() {
        return requiresApiKey() || routing().scheduler().isPresent();
    }

    /**
     * Whether the bench's tuned retries and health checks ({@link Failover}), when it has them, apply: to
     * nginx, HAProxy and {@code infergate-tuned}; every other infergate system keeps the gateway's defaults,
     * which is what users get.
     */
    public boolean tunedFailover() {
        return this == NGINX_RR || this == NGINX_LC || this == HAPROXY_RR || this == HAPROXY_LC || this == INFERGATE_TUNED;
    }

    /** Whether the gateway requires {@link BenchApiKey}, which the load generator then sends. */
    public boolean requiresApiKey() {
        return this == INFERGATE_AUTH || this == INFERGATE_REDIS;
    }

    /** Every system, in the order the bench runs them. */
    public static List<SystemKind> all() {
        return List.of(values());
    }

    public static SystemKind ofLabel(String label) {
        for (SystemKind kind : values()) {
            if (kind.label().equals(label)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("system: '" + label + "' (expected one of "
                + Arrays.stream(values()).map(SystemKind::label).toList() + ")");
    }
}
