package io.infergate.gateway.config;

import io.infergate.core.flow.FlowPolicy;
import io.infergate.core.predict.LatencySlo;

import java.util.List;
import java.util.Map;

/**
 * {@code flow_control:} as read: the class names that {@code routing}, {@code retry.hedging} and
 * {@code tenants} refer to, and the policy, which waits for the tenants' weights.
 */
record FlowSection(boolean enabled, List<String> classNames, String defaultClass, FlowPolicy.Builder policy,
                   Map<String, LatencySlo> slos) {

    static FlowSection defaults() {
        FlowPolicy defaults = FlowPolicy.defaults();
        return new FlowSection(true, defaults.classNames(), defaults.defaultClass(), FlowPolicy.builder(), Map.of());
    }

    /** The section with the tenants' weights, as the gateway runs it. */
    FlowControlConfig withTenants(List<TenantConfig> tenants) {
        tenants.forEach(tenant -> policy.tenantWeight(tenant.name(), tenant.weight()));
        return new FlowControlConfig(enabled, policy.build(), slos);
    }
}
