package io.infergate.gateway.config;

import java.util.Objects;
import java.util.Optional;

/**
 * The admin listener's protection ({@code admin:}); its address and port are {@code listen.admin_host} and
 * {@code listen.admin_port}.
 *
 * <pre>{@code
 * AdminConfig admin = config.admin();
 * boolean allowed = admin.token().map(token -> token.matches(presented)).orElse(true);
 * }</pre>
 *
 * @param tls         TLS on the admin listener; empty means plain HTTP
 * @param token       the bearer token every admin request must carry ({@code Authorization: Bearer ...});
 *                    empty means the admin listener is open, and then bound to loopback only, as in the demo
 * @param healthOpen  whether {@code /health} answers without the token ({@code health_open}); default true,
 *                    so that liveness probes need no secret
 * @param metricsOpen whether {@code /metrics} answers without the token ({@code metrics_open}); default
 *                    false: metrics name tenants, endpoints and models
 * @param allowRemoteWithoutToken whether the admin listener may bind beyond loopback with no token
 *                    ({@code allow_remote_without_token}); default false: anyone reaching an open admin API can
 *                    add endpoints and mint API keys
 */
public record AdminConfig(Optional<ServerTlsConfig> tls, Optional<Secret> token, boolean healthOpen,
                          boolean metricsOpen, boolean allowRemoteWithoutToken) {

    public static final AdminConfig DEFAULT = new AdminConfig(Optional.empty(), Optional.empty(), true, false, false);

    public AdminConfig {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(token, "token");
    }

    /** Whether the admin listener may bind to an address other hosts reach: with a token, or by explicit opt-out. */
    public boolean remoteAccessAllowed() {
        return token.isPresent() || allowRemoteWithoutToken;
    }
}
