package io.infergate.gateway.security;

import io.infergate.gateway.config.TenantConfig;

import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Every API key the gateway accepts, by public id: the config file's, and those created at runtime
 * through the admin API (kept in memory; gone on restart). Finding a key is one map lookup by the id
 * the key carries, then one salted SHA-256 compared in constant time. Thread-safe.
 *
 * <pre>{@code
 * KeyRegistry keys = new KeyRegistry(config.tenants(), new SecureRandom(), System::currentTimeMillis);
 * Optional<KeyGrant> grant = keys.authenticate(bearerToken);
 * KeyRegistry.Created created = keys.create(new KeyRegistry.Spec("fraud", "ci", List.of(), ...));
 * }</pre>
 */
public final class KeyRegistry {

    private final Map<String, TenantConfig> tenants = new HashMap<>();
    private final Map<String, KeyGrant> keys = new ConcurrentHashMap<>();
    private final SecureRandom random;
    private final LongSupplier epochMillis;

    public KeyRegistry(List<TenantConfig> tenants, SecureRandom random, LongSupplier epochMillis) {
        this.random = random;
        this.epochMillis = epochMillis;
        for (TenantConfig tenant : tenants) {
            this.tenants.put(tenant.name(), tenant);
            tenant.keys().forEach(key -> keys.put(key.hash().id(), KeyGrant.fromConfig(tenant, key)));
        }
    }

    /** The grant of the key {@code token} spells, or empty when it is malformed, unknown or revoked. */
    public Optional<KeyGrant> authenticate(String token) {
        return ApiKey.parse(token).flatMap(key -> {
            KeyGrant grant = keys.get(key.id());
            return grant != null && grant.hash().matches(key) ? Optional.of(grant) : Optional.empty();
        });
    }

    /** The configured tenant named {@code name}. */
    public Optional<TenantConfig> tenant(String name) {
        return Optional.ofNullable(tenants.get(name));
    }

    /**
     * What a new runtime key may do; empty fields take the tenant's.
     *
     * @param tenant      a configured tenant
     * @param name        a label, {@code ""} for none
     * @param models      within the tenant's models
     * @param priority    default class
     * @param maxPriority highest class
     * @param limits      the key's own limits
     */
    public record Spec(String tenant, String name, List<String> models, Optional<String> priority,
                       Optional<String> maxPriority, TenantConfig.Limits limits) {
        public Spec {
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(name, "name");
            models = List.copyOf(models);
            Objects.requireNonNull(priority, "priority");
            Objects.requireNonNull(maxPriority, "maxPriority");
            Objects.requireNonNull(limits, "limits");
        }
    }

    /** A key just created: {@code key} is shown to its owner this once and kept nowhere. */
    public record Created(ApiKey key, KeyGrant grant) {
    }

    /**
     * Creates a key for {@code spec}. The caller checks the spec first (tenant configured, models
     * within the tenant's, classes known); an unknown tenant throws.
     */
    public Created create(Spec spec) {
        TenantConfig tenant = tenant(spec.tenant()).orElseThrow(() -> new IllegalArgumentException(
                "tenant: '" + spec.tenant() + "' (expected one of the configured tenants " + tenants.keySet() + ")"));
        ApiKey key;
        do {
            key = ApiKey.generate(random);
        } while (keys.containsKey(key.id()));
        KeyGrant grant = new KeyGrant(key.id(), spec.name(), tenant.name(), KeyHash.of(key, random),
                spec.models().isEmpty() ? tenant.models() : spec.models(), spec.priority().orElse(tenant.priority()),
                spec.maxPriority().or(tenant::maxPriority), spec.limits(), KeyGrant.Source.RUNTIME, epochMillis.getAsLong());
        keys.put(key.id(), grant);
        return new Created(key, grant);
    }

    /** Every key, config ones first, then by id. */
    public List<KeyGrant> list() {
        return keys.values().stream()
                .sorted(Comparator.comparing(KeyGrant::source).thenComparing(KeyGrant::id))
                .toList();
    }

    /** What {@link #revoke} did. */
    public enum Revocation {
        REVOKED,
        NOT_FOUND,
        /** The key is in the config file: remove it there. */
        FROM_CONFIG
    }

    /** Stops accepting the runtime key {@code id} at once. */
    public Revocation revoke(String id) {
        KeyGrant grant = keys.get(id);
        if (grant == null) {
            return Revocation.NOT_FOUND;
        }
        if (grant.source() == KeyGrant.Source.CONFIG) {
            return Revocation.FROM_CONFIG;
        }
        return keys.remove(id, grant) ? Revocation.REVOKED : Revocation.NOT_FOUND;
    }
}
