package io.infergate.gateway.config;

import java.util.List;
import java.util.Objects;

/**
 * A tenant ({@code tenants[]}): who may call the gateway, with which default priority and limits.
 * Parsed and kept as written; the gateway does not enforce tenants yet.
 *
 * <pre>{@code
 * tenants:
 *   - name: fraud
 *     priority: critical
 *     keys: [{hash: "..."}]
 *     limits: {rpm: 600, tpm: 200000}
 * }</pre>
 *
 * @param name     unique tenant name
 * @param priority default priority class of the tenant's requests; default {@code standard}
 * @param keys     the tenant's API keys in stored (hashed) form
 * @param limits   request and token rate limits
 */
public record TenantConfig(String name, String priority, List<Key> keys, Limits limits) {

    public static final String DEFAULT_PRIORITY = "standard";

    public TenantConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(priority, "priority");
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
