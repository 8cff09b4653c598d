package io.infergate.gateway.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The admin listener's protection ({@code admin:}); its port is {@code listen.admin_port}.
 *
 * <pre>{@code
 * AdminConfig admin = config.admin();
 * boolean allowed = admin.token().map(token -> token.matches(presented)).orElse(true);
 * }</pre>
 *
 * @param tls         TLS on the admin listener; empty means plain HTTP
 * @param token       the bearer token every admin request must carry ({@code Authorization: Bearer ...});
 *                    empty means the admin listener is open, as in the demo
 * @param healthOpen  whether {@code /health} answers without the token ({@code health_open}); default true,
 *                    so that liveness probes need no secret
 * @param metricsOpen whether {@code /metrics} answers without the token ({@code metrics_open}); default
 *                    false: metrics name tenants, endpoints and models
 */
public record AdminConfig(Optional<ServerTlsConfig> tls, Optional<Secret> token, boolean healthOpen,
                          boolean metricsOpen) {

    public static final AdminConfig DEFAULT = new AdminConfig(Optional.empty(), Optional.empty(), true, false);

    public AdminConfig {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(token, "token");
    }
}
