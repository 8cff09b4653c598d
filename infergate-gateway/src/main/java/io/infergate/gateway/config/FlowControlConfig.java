package io.infergate.gateway.config;

import io.infergate.core.flow.FlowPolicy;

import java.util.Objects;

/**
 * Flow control ({@code flow_control:}): priority classes, saturation thresholds and the share
 * reserved for the highest class, bound to a core {@link FlowPolicy}. Tenants' weights come from
 * {@code tenants[].weight}.
 *
 * <pre>{@code
 * flow_control:
 *   enabled: true
 *   default_class: standard
 *   classes:
 *     - {name: critical, queue_limit: 1000, max_wait_ms: 10000}
 *     - {name: standard, queue_limit: 1000, max_wait_ms: 10000}
 *     - {name: sheddable, queue_limit: 1000, max_wait_ms: 5000, sheddable: true}
 *   max_queued: 2000
 *   reserved_for_critical: 0.2
 *   saturation: {max_waiting_per_endpoint: 5, max_kv_cache_usage: 0.8, max_requests_per_endpoint: 0}
 * }</pre>
 *
 * @param enabled false lets every request through at once, as a plain proxy would; default true
 * @param policy  the classes, thresholds, bounds and tenant weights
 */
public record FlowControlConfig(boolean enabled, FlowPolicy policy) {

    public static final FlowControlConfig DEFAULT = new FlowControlConfig(true, FlowPolicy.defaults());

    public FlowControlConfig {
        Objects.requireNonNull(policy, "policy");
    }
}
