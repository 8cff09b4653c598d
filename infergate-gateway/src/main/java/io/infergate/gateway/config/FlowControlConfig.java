package io.infergate.gateway.config;

import io.infergate.core.flow.FlowPolicy;
import io.infergate.core.predict.LatencySlo;

import java.util.Map;

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
 *     - {name: critical, queue_limit: 1000, max_wait_ms: 10000, slo: {ttft_ms: 300}}
 *     - {name: standard, queue_limit: 1000, max_wait_ms: 10000}
 *     - {name: sheddable, queue_limit: 1000, max_wait_ms: 5000, sheddable: true}
 *   max_queued: 2000
 *   reserved_for_critical: 0.2
 *   saturation: {max_waiting_per_endpoint: 5, max_kv_cache_usage: 0.8, max_requests_per_endpoint: 0}
 * }</pre>
 *
 * @param enabled false lets every request through at once, as a plain proxy would; default true
 * @param policy  the classes, thresholds, bounds and tenant weights
 * @param slos    the latency objective of each class that has one ({@code classes[].slo}: {@code ttft_ms},
 *                {@code end_to_end_ms}); the {@code predicted-latency} scheduler sends a request of such a
 *                class to the least loaded endpoint predicted to meet it. None by default.
 */
public record FlowControlConfig(boolean enabled, FlowPolicy policy, Map<String, LatencySlo> slos) {

    public static final FlowControlConfig DEFAULT = new FlowControlConfig(true, FlowPolicy.defaults(), Map.of());

    public FlowControlConfig {
        Objects.requireNonNull(policy, "policy");
        slos = Map.copyOf(slos);
    }
}
