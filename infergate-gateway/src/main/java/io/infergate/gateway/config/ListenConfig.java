package io.infergate.gateway.config;

import io.infergate.gateway.security.IpLiterals;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the gateway listens ({@code listen:}).
 *
 * <pre>{@code
 * ListenConfig listen = config.listen();
 * vertx.createHttpServer().listen(listen.port(), listen.host());
 * vertx.createHttpServer().listen(listen.adminPort(), listen.adminHost());
 * }</pre>
 *
 * @param host      address the data plane binds to; default {@code 0.0.0.0}
 * @param port      data-plane port (OpenAI API); default 8080, 0 picks a free port
 * @param adminHost address the admin listener binds to ({@code admin_host}); default {@code 127.0.0.1} without
 *                  {@code admin.token}, else {@code host}. A non-loopback address without a token is a
 *                  configuration error unless {@code admin.allow_remote_without_token} is true
 * @param adminPort admin port (metrics, admin API); default 8081, 0 picks a free port
 * @param tls       TLS on the data plane, with HTTP/2 offered through ALPN; empty means plain HTTP
 *                  (HTTP/1.1 only: no cleartext HTTP/2, see {@code HostileInput})
 */
public record ListenConfig(String host, int port, String adminHost, int adminPort, Optional<ServerTlsConfig> tls) {

    /** The admin listener's address when nothing protects it. */
    public static final String LOOPBACK = "127.0.0.1";
    public static final ListenConfig DEFAULT = new ListenConfig("0.0.0.0", 8080, LOOPBACK, 8081, Optional.empty());

    public ListenConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(adminHost, "adminHost");
        Objects.requireNonNull(tls, "tls");
    }

    ListenConfig withAdminHost(String adminHost) {
        return new ListenConfig(host, port, adminHost, adminPort, tls);
    }

    /** Whether {@code host} is reachable from this machine only: {@code localhost}, 127.0.0.0/8 or ::1. */
    public static boolean isLoopback(String host) {
        return IpLiterals.unbracketed(host).equals("localhost")
                || IpLiterals.parse(host).map(InetAddress::isLoopbackAddress).orElse(false);
    }
}
