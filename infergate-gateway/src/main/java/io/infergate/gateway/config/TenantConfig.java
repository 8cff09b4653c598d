package io.infergate.gateway.config;

import io.infergate.gateway.security.KeyHash;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A tenant ({@code tenants[]}): who may call the gateway, with which API keys, models, priority classes
 * and limits. Once any tenant has a key, every inference request needs one (see {@code docs/security.md}).
 *
 * <pre>{@code
 * tenants:
 *   - name: fraud
 *     priority: critical
 *     max_priority: critical
 *     models: [fraud-scorer]
 *     weight: 3
 *     keys:
 *       - {hash: "sha256$...", name: scoring-service, limits: {rpm: 300}}
 *     limits: {rpm: 600, tpm: 200000, max_concurrent: 50}
 * }</pre>
 *
 * @param name        unique tenant name
 * @param priority    default priority class of the tenant's requests; default {@code flow_control.default_class}
 * @param maxPriority the highest class the tenant's keys may ask for; empty for any
 * @param models      the models the tenant's keys may call; empty for all
 * @param weight      the tenant's weight in the fair share of its class's queue; default 1
 * @param keys        the tenant's API keys in stored (hashed) form
 * @param limits      the tenant's limits, all its keys together
 */
public record TenantConfig(String name, String priority, Optional<String> maxPriority, List<String> models,
                           double weight, List<Key> keys, Limits limits) {

    public TenantConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(maxPriority, "maxPriority");
        models = List.copyOf(models);
        if (!(weight > 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight of tenant '" + name + "': " + weight + " (expected: a finite number > 0)");
        }
        keys = List.copyOf(keys);
        Objects.requireNonNull(limits, "limits");
    }

    /**
     * One API key, as stored; what it leaves out, it takes from its tenant.
     *
     * @param hash        what {@code ./infergate keys hash} prints
     * @param name        a label for people, {@code ""} when none
     * @param models      the models the key may call, within its tenant's; empty for the tenant's
     * @param priority    default class of the key's requests; empty for the tenant's
     * @param maxPriority the highest class the key may ask for; empty for the tenant's
     * @param limits      the key's own limits
     */
    public record Key(KeyHash hash, String name, List<String> models, Optional<String> priority,
                      Optional<String> maxPriority, Limits limits) {
        public Key {
            Objects.requireNonNull(hash, "hash");
            Objects.requireNonNull(name, "name");
            models = List.copyOf(models);
            Objects.requireNonNull(priority, "priority");
            Objects.requireNonNull(maxPriority, "maxPriority");
            Objects.requireNonNull(limits, "limits");
        }
    }

    /**
     * Limits of a tenant or a key; 0 means no limit.
     *
     * @param requestsPerMinute {@code rpm}
     * @param tokensPerMinute   {@code tpm}: prompt and completion tokens
     * @param maxConcurrent     {@code max_concurrent}: requests in flight at once, per gateway replica
     */
    public record Limits(long requestsPerMinute, long tokensPerMinute, int maxConcurrent) {
        public static final Limits NONE = new Limits(0, 0, 0);

        public Limits {
            if (requestsPerMinute < 0 || tokensPerMinute < 0 || maxConcurrent < 0) {
                throw new IllegalArgumentException("limits: rpm " + requestsPerMinute + ", tpm " + tokensPerMinute
                        + ", max_concurrent " + maxConcurrent + " (expected: each >= 0)");
            }
        }
    }
}
