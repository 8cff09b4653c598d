package io.infergate.gateway.tls;

import io.infergate.gateway.config.ServerTlsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.ServerSSLOptions;

import java.io.IOException;
import java.util.List;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * TLS on one listener (the data plane's servers, or the admin server): PEM certificate and key, HTTP/2
 * and HTTP/1.1 through ALPN, and reload without restart. Every {@link ServerTlsConfig#reloadCheck()} the
 * files' modification times and sizes are compared with those last read; when they changed, the files
 * are read again and the new certificate goes to every running server through
 * {@link HttpServer#updateSSLOptions}: new connections get it, open ones keep theirs. A pair that does
 * not load (a key written before its certificate, a typo) is logged and the old one kept; the next
 * change is tried again.
 *
 * <pre>{@code
 * ListenerTls tls = ListenerTls.load("data", config.listen().tls().get());
 * HttpServer server = vertx.createHttpServer(tls.apply(new HttpServerOptions()));
 * server.listen(8443).await();
 * tls.watch(vertx, () -> List.of(server));
 * }</pre>
 */
public final class ListenerTls {

    private static final Logger LOG = Logger.getLogger(ListenerTls.class.getName());

    private final String listener;
    private final ServerTlsConfig config;
    private volatile PemKeyPair current;
    private volatile PemKeyPair.Stamp lastSeen;
    private long timer = -1;

    private ListenerTls(String listener, ServerTlsConfig config, PemKeyPair current) {
        this.listener = listener;
        this.config = config;
        this.current = current;
        this.lastSeen = current.stamp();
    }

    /** Reads the PEM files; fails with the file names when they cannot be read or parsed. */
    public static ListenerTls load(String listener, ServerTlsConfig config) {
        PemKeyPair pair = PemKeyPair.read(config.cert(), config.key());
        LOG.info(() -> "TLS on the " + listener + " listener with " + pair.summary() + " from " + config.cert());
        return new ListenerTls(listener, config, pair);
    }

    /** {@code options} with TLS on, the current certificate, and ALPN offering h2 then http/1.1. */
    public HttpServerOptions apply(HttpServerOptions options) {
        return options.setSsl(true).setUseAlpn(true).setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                .setKeyCertOptions(current.options());
    }

    /**
     * Starts checking the files; {@code servers} gives the servers to update, each time, so that it can be
     * called before they all exist. The check stops with {@code vertx}.
     */
    public void watch(Vertx vertx, Supplier<List<HttpServer>> servers) {
        if (timer >= 0) {
            throw new IllegalStateException("already watching " + config.cert());
        }
        timer = vertx.setPeriodic(config.reloadCheck().toMillis(), id -> vertx.executeBlocking(this::changed)
                .compose(changed -> changed == null ? Future.succeededFuture() : install(changed, servers.get()))
                .onFailure(e -> LOG.log(Level.WARNING, "TLS files of the " + listener + " listener changed but did "
                        + "not load, keeping the previous certificate: " + e.getMessage())));
    }

    /** The pair read again if the files changed since last seen, else null. Runs off the event loop. */
    private PemKeyPair changed() throws IOException {
        PemKeyPair.Stamp stamp = PemKeyPair.Stamp.of(config.cert(), config.key());
        if (stamp.equals(lastSeen)) {
            return null;
        }
        lastSeen = stamp;
        return PemKeyPair.read(config.cert(), config.key());
    }

    private Future<Void> install(PemKeyPair pair, List<HttpServer> servers) {
        ServerSSLOptions ssl = new ServerSSLOptions().setUseAlpn(true)
                .setApplicationLayerProtocols(List.of("h2", "http/1.1")).setKeyCertOptions(pair.options());
        List<Future<Boolean>> updates = servers.stream().map(server -> server.updateSSLOptions(ssl)).toList();
        return Future.all(updates).onSuccess(done -> {
            current = pair;
            LOG.info(() -> "reloaded TLS on the " + listener + " listener: " + pair.summary() + " from "
                    + config.cert());
        }).mapEmpty();
    }
}
