package io.infergate.loadgen.attack;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.SocketAddress;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * An attacker on the same machine as a server's legitimate clients, with one job per attack. It runs on
 * one event loop of its own (so it takes at most one core from the server and the clients, the same for
 * every server) and connects from {@code sourceAddress}: on Linux every 127.0.0.0/8 address is the
 * loopback, so an attacker from 127.0.0.2 is a different client address from the legitimate ones on
 * 127.0.0.1, as it would be on a network, and a per-address limit can tell them apart. TLS certificates
 * are not checked.
 *
 * <pre>{@code
 * try (Attacker attacker = new Attacker(URI.create("https://127.0.0.1:8443"), Attacker.sourceAddress())) {
 *     IdleConnections idle = attacker.idleConnections(5000);
 *     ...
 *     System.out.println(idle.stop().summary());
 * }
 * }</pre>
 */
public final class Attacker implements AutoCloseable {

    /** New connections a job opens per second at most, when starting and when opening again those closed. */
    public static final int CONNECTS_PER_SECOND = 1000;
    /** The address the attacker prefers to connect from: loopback, not the legitimate clients' 127.0.0.1. */
    public static final String SEPARATE_SOURCE = "127.0.0.2";
    static final String CHAT_PATH = "/v1/chat/completions";
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private final URI target;
    private final String sourceAddress;
    private final Vertx vertx;
    private final Context context;

    /**
     * @param target        the server's data port, {@code http://} or {@code https://}
     * @param sourceAddress the local address every connection is bound to
     */
    public Attacker(URI target, String sourceAddress) {
        this.target = Objects.requireNonNull(target, "target");
        this.sourceAddress = Objects.requireNonNull(sourceAddress, "sourceAddress");
        if (!"http".equals(target.getScheme()) && !"https".equals(target.getScheme()) || target.getPort() < 0) {
            throw new IllegalArgumentException("target: " + target + " (expected: http or https URL with a port)");
        }
        this.vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        this.context = vertx.getOrCreateContext();
    }

    /** {@link #SEPARATE_SOURCE} when this machine can connect from it (Linux), else 127.0.0.1. */
    public static String sourceAddress() {
        try (Socket probe = new Socket()) {
            probe.bind(new InetSocketAddress(SEPARATE_SOURCE, 0));
            return SEPARATE_SOURCE;
        } catch (IOException e) {
            return "127.0.0.1";
        }
    }

    public String source() {
        return sourceAddress;
    }

    /** Starts holding {@code connections} TCP connections that send nothing. */
    public IdleConnections idleConnections(int connections) {
        IdleConnections job = new IdleConnections(context, client(false, List.of()), address(), connections);
        job.start();
        return job;
    }

    /** Starts the rapid-reset flood: {@code streamsPerSecond} streams opened and reset, over {@code connections}. */
    public RapidReset rapidReset(int connections, int streamsPerSecond) {
        RapidReset job = new RapidReset(context, client(tls(), List.of("h2")), address(), tls(), authority(), connections,
                streamsPerSecond);
        job.start();
        return job;
    }

    /** Starts trickling request heads on {@code connections} connections, one byte each every {@code byteInterval}. */
    public SlowHeaders slowHeaders(int connections, Duration byteInterval) {
        SlowHeaders job = new SlowHeaders(context, client(tls(), List.of()), address(), authority(), connections, byteInterval);
        job.start();
        return job;
    }

    @Override
    public void close() {
        vertx.close().await();
    }

    private boolean tls() {
        return "https".equals(target.getScheme());
    }

    private String authority() {
        return target.getHost() + ":" + target.getPort();
    }

    private SocketAddress address() {
        return SocketAddress.inetSocketAddress(target.getPort(), target.getHost());
    }

    /** A client from the source address; over TLS offering {@code alpn} (none: HTTP/1.1) when {@code tls}. */
    private NetClient client(boolean tls, List<String> alpn) {
        NetClientOptions options = new NetClientOptions().setLocalAddress(sourceAddress)
                .setConnectTimeout(CONNECT_TIMEOUT_MILLIS).setTcpNoDelay(true);
        if (tls) {
            options.setSsl(true).setTrustAll(true).setHostnameVerificationAlgorithm("")
                    .setUseAlpn(!alpn.isEmpty()).setApplicationLayerProtocols(alpn);
        }
        return vertx.createNetClient(options);
    }
}
