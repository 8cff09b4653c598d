package io.infergate.gateway.security;

import io.infergate.gateway.config.TenantConfig;

import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

/**
 * Every API key the gateway accepts, by public id: the config file's, and those created at runtime
 * through the admin API, kept in a {@link KeyStore} (this process's memory, or Redis shared by every
 * replica). Finding a key is one map lookup by its id (the one a minted key carries, or the one derived
 * from a key of the user's own, see {@link ApiKey}; a Redis lookup only for a runtime key this replica has
 * not seen yet), then one salted SHA-256 compared in constant time. A runtime key whose tenant is no
 * longer configured is refused. Thread-safe; nothing blocks.
 *
 * <pre>{@code
 * KeyRegistry keys = new KeyRegistry(config.tenants(), KeyStore.memory(), new SecureRandom(), System::currentTimeMillis);
 * keys.authenticate(bearerToken).thenAccept(grant -> ...);
 * keys.create(new KeyRegistry.Spec("fraud", "ci", List.of(), ...)).thenAccept(created -> ...);
 * keys.add(spec, ApiKey.of(theirOwnKey)).thenAccept(added -> ...);   // empty when the key is known already
 * }</pre>
 */
public final class KeyRegistry {

    private final Map<String, TenantConfig> tenants = new HashMap<>();
    private final Map<String, KeyGrant> configured = new HashMap<>();
    private final KeyStore runtime;
    private final SecureRandom random;
    private final LongSupplier epochMillis;

    public KeyRegistry(List<TenantConfig> tenants, KeyStore runtime, SecureRandom random, LongSupplier epochMillis) {
        this.runtime = runtime;
        this.random = random;
        this.epochMillis = epochMillis;
        for (TenantConfig tenant : tenants) {
            this.tenants.put(tenant.name(), tenant);
            tenant.keys().forEach(key -> configured.put(key.hash().id(), KeyGrant.fromConfig(tenant, key)));
        }
    }

    /**
     * The grant of the key {@code token} spells, or empty when it is malformed, unknown or revoked; fails
     * with {@link KeyStore.Unavailable} when the key may be a runtime one the store cannot be asked for.
     */
    public CompletionStage<Optional<KeyGrant>> authenticate(String token) {
        Optional<ApiKey> parsed = ApiKey.parse(token);
        if (parsed.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        ApiKey key = parsed.get();
        KeyGrant fromConfig = configured.get(key.id());
        CompletionStage<Optional<KeyGrant>> found = fromConfig != null
                ? CompletableFuture.completedFuture(Optional.of(fromConfig)) : runtime.find(key.id());
        return found.thenApply(grant -> grant.filter(g -> tenants.containsKey(g.tenant()) && g.hash().matches(key)));
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
     * Creates a key for {@code spec} in the store. The caller checks the spec first (tenant configured,
     * models within the tenant's, classes known); an unknown tenant throws. Fails with
     * {@link KeyStore.Unavailable} when the store cannot be reached.
     */
    public CompletionStage<Created> create(Spec spec) {
        TenantConfig tenant = configuredTenant(spec);
        ApiKey key;
        do {
            key = ApiKey.generate(random);
        } while (configured.containsKey(key.id()));
        KeyGrant grant = grant(key, spec, tenant);
        ApiKey created = key;
        return runtime.add(grant).thenCompose(added -> added
                ? CompletableFuture.completedFuture(new Created(created, grant))
                : create(spec));   // another key has this id (60 random bits: practically never)
    }

    /**
     * Adds {@code key}, one the user already has, for {@code spec} in the store; empty when a key with its
     * id is known already (the same key, in the config file or the store). Checks and failures as
     * {@link #create}.
     */
    public CompletionStage<Optional<KeyGrant>> add(Spec spec, ApiKey key) {
        TenantConfig tenant = configuredTenant(spec);
        if (configured.containsKey(key.id())) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        KeyGrant grant = grant(key, spec, tenant);
        return runtime.add(grant).thenApply(added -> added ? Optional.of(grant) : Optional.empty());
    }

    private TenantConfig configuredTenant(Spec spec) {
        return tenant(spec.tenant()).orElseThrow(() -> new IllegalArgumentException(
                "tenant: '" + spec.tenant() + "' (expected one of the configured tenants " + tenants.keySet() + ")"));
    }

    /** The runtime grant of {@code key}: what {@code spec} sets, the rest from {@code tenant}. */
    private KeyGrant grant(ApiKey key, Spec spec, TenantConfig tenant) {
        return new KeyGrant(key.id(), spec.name(), tenant.name(), KeyHash.of(key, random),
                spec.models().isEmpty() ? tenant.models() : spec.models(), spec.priority().orElse(tenant.priority()),
                spec.maxPriority().or(tenant::maxPriority), spec.limits(), KeyGrant.Source.RUNTIME, epochMillis.getAsLong());
    }

    /** Every key this replica knows, config ones first, then by id. */
    public List<KeyGrant> list() {
        return Stream.concat(configured.values().stream(), runtime.known().stream())
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

    /**
     * Stops accepting the runtime key {@code id}: at once on this replica, on the others as the store
     * allows ({@link RedisKeyStore}). Fails with {@link KeyStore.Unavailable} when the store cannot be reached.
     */
    public CompletionStage<Revocation> revoke(String id) {
        if (configured.containsKey(id)) {
            return CompletableFuture.completedFuture(Revocation.FROM_CONFIG);
        }
        return runtime.remove(id).thenApply(removed -> removed ? Revocation.REVOKED : Revocation.NOT_FOUND);
    }
}
