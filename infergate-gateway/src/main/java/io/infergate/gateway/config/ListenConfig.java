package io.infergate.gateway.config;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the gateway listens ({@code listen:}).
 *
 * <pre>{@code
 * ListenConfig listen = config.listen();
 * vertx.createHttpServer().listen(listen.port(), listen.host());
 * }</pre>
 *
 * @param host      address both servers bind to; default {@code 0.0.0.0}
 * @param port      data-plane port (OpenAI API); default 8080, 0 picks a free port
 * @param adminPort admin port (metrics, admin API, dashboard); default 8081, 0 picks a free port
 * @param tls       TLS on the data plane, with HTTP/2 offered through ALPN; empty means plain HTTP
 *                  (HTTP/1.1 only: no cleartext HTTP/2, see {@code HostileInput})
 */
public record ListenConfig(String host, int port, int adminPort, Optional<ServerTlsConfig> tls) {

    public static final ListenConfig DEFAULT = new ListenConfig("0.0.0.0", 8080, 8081, Optional.empty());

    public ListenConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(tls, "tls");
    }
}
