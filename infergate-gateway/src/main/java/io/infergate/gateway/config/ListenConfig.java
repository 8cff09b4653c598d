package io.infergate.gateway.config;

import java.util.Objects;

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
 */
public record ListenConfig(String host, int port, int adminPort) {

    public static final ListenConfig DEFAULT = new ListenConfig("0.0.0.0", 8080, 8081);

    public ListenConfig {
        Objects.requireNonNull(host, "host");
    }
}
