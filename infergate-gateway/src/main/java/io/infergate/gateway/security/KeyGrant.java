package io.infergate.gateway.security;

import io.infergate.gateway.config.TenantConfig;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one API key may do, with what it takes from its tenant already filled in. Holds the key's
 * stored hash, never the key.
 *
 * @param id          the key's public id
 * @param name        a label for people, {@code ""} when none
 * @param tenant      the tenant the key belongs to
 * @param hash        the stored form
 * @param models      models the key may call; empty for all
 * @param priority    default class of its requests
 * @param maxPriority the highest class it may ask for; empty for any
 * @param limits      the key's own limits (its tenant's apply too)
 * @param source      where the key was defined
 * @param createdEpochMillis when a runtime key was created; 0 for a key from the config file
 */
public record KeyGrant(String id, String name, String tenant, KeyHash hash, List<String> models, String priority,
                       Optional<String> maxPriority, TenantConfig.Limits limits, Source source,
                       long createdEpochMillis) {

    public KeyGrant {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(hash, "hash");
        models = List.copyOf(models);
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(maxPriority, "maxPriority");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(source, "source");
    }

    /** Where a key was defined. */
    public enum Source {
        /** {@code tenants[].keys[]} of the config file: revoked by editing the file. */
        CONFIG,
        /** Created through the admin API: revoked there. */
        RUNTIME
    }

    /** A configured key of {@code tenant}, with the tenant's models and classes where it names none. */
    public static KeyGrant fromConfig(TenantConfig tenant, TenantConfig.Key key) {
        return new KeyGrant(key.hash().id(), key.name(), tenant.name(), key.hash(),
                key.models().isEmpty() ? tenant.models() : key.models(), key.priority().orElse(tenant.priority()),
                key.maxPriority().or(tenant::maxPriority), key.limits(), Source.CONFIG, 0);
    }

    /** True when the key may call {@code model}. */
    public boolean allows(String model) {
        return models.isEmpty() || models.contains(model);
    }
}
