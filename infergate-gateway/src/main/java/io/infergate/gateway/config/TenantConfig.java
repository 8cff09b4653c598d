package io.infergate.gateway.config;

import java.util.List;
import java.util.Objects;

/**
 * A tenant ({@code tenants[]}): who may call the gateway, with which default priority and limits.
 * Keys and limits are parsed and kept but not enforced yet; flow control uses the priority and the
 * weight for requests naming the tenant in {@code x-infergate-tenant}.
 *
 * <pre>{@code
 * tenants:
 *   - name: fraud
 *     priority: critical
 *     weight: 3
 *     keys: [{hash: "..."}]
 *     limits: {rpm: 600, tpm: 200000}
 * }</pre>
 *
 * @param name     unique tenant name
 * @param priority default priority class of the tenant's requests; default {@code flow_control.default_class}
 * @param weight   the tenant's weight in the fair share of its class's queue; default 1
 * @param keys     the tenant's API keys in stored (hashed) form
 * @param limits   request and token rate limits
 */
public record TenantConfig(String name, String priority, double weight, List<Key> keys, Limits limits) {

    public TenantConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(priority, "priority");
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight of tenant '" + name + "': " + weight + " (expected: a finite number > 0)");
        }
        keys = List.copyOf(keys);
        Objects.requireNonNull(limits, "limits");
    }

    /** One API key, as stored: {@code hash} is what {@code ./infergate keys hash SECRET} prints. */
    public record Key(String hash) {
        public Key {
            Objects.requireNonNull(hash, "hash");
        }
    }

    /**
     * Rate limits of one tenant; 0 means no limit.
     *
     * @param requestsPerMinute {@code rpm}
     * @param tokensPerMinute   {@code tpm}
     */
    public record Limits(long requestsPerMinute, long tokensPerMinute) {
        public static final Limits NONE = new Limits(0, 0);
    }
}
