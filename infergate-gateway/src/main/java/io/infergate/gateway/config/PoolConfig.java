package io.infergate.gateway.config;

import io.infergate.gateway.api.ServerPriority;
import io.infergate.gateway.security.AllowedEndpoint;

import java.util.List;
import java.util.Objects;

/**
 * A pool: endpoints of one server type that serve the same models ({@code pools[]}).
 *
 * @param name      unique pool name
 * @param type      server dialect; default {@link ServerType#VLLM}
 * @param models    model names every endpoint of the pool serves, in file order
 * @param endpoints the pool's endpoints, in file order, at least one
 * @param allowedEndpoints the hosts and address ranges its endpoints must be in ({@code allowed_endpoints}); empty
 *                  means any address but link-local and cloud-metadata ones (see
 *                  {@link io.infergate.gateway.security.EndpointAddressPolicy})
 * @param serverPriority whether its servers schedule by the request's {@code priority} field, and in which
 *                  direction ({@code server_priority}); default {@link ServerPriority#NONE}: never sent
 */
public record PoolConfig(String name, ServerType type, List<String> models, List<EndpointConfig> endpoints,
                         List<AllowedEndpoint> allowedEndpoints, ServerPriority serverPriority) {

    public PoolConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        models = List.copyOf(models);
        endpoints = List.copyOf(endpoints);
        allowedEndpoints = List.copyOf(allowedEndpoints);
        Objects.requireNonNull(serverPriority, "serverPriority");
    }
}
