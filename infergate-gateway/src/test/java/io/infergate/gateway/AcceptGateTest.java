package io.infergate.gateway;

import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.gateway.config.LimitsConfig;
import io.infergate.gateway.fleet.FleetState;
import io.infergate.gateway.fleet.ScrapedFigures;
import io.infergate.gateway.hardening.AcceptGate;
import io.infergate.gateway.hardening.ClientConnections;
import io.infergate.gateway.hardening.GatedTransport;
import io.infergate.gateway.hardening.HostileInput;
import io.infergate.gateway.observe.GatewayMetrics;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.transport.Transport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The accept gate over real sockets, on a TLS server guarded as the gateway's listeners are: an address's
 * connections beyond its opening limit wait without any TLS work until one of its opening connections
 * goes, an address at its connection limit has its next connection closed as it is accepted, and a
 * connection that sends no request head (an HTTP/2 connection without its preface, a connection that
 * waited) is closed at the header timeout counted from its accept. Each test connects from its own
 * loopback address (Linux routes all of 127.0.0.0/8 to the loopback).
 */
class AcceptGateTest {

    private static final int MAX_OPENING = 2;
    private static final int MAX_PER_ADDRESS = 4;
    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(3000);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final InetAddress LEGITIMATE = address("127.0.0.3");

    @TempDir
    static Path dir;
    private static SSLContext tls;
    private static TestPki.Issued cert;
    private static GatedServer server;
    private static final Queue<String> closes = new ConcurrentLinkedQueue<>();

    /** A TLS server answering "ok", guarded as the gateway's listeners are, on a Vert.x of its own with a gate. */
    private record GatedServer(Vertx vertx, AcceptGate gate, HttpServer http) {

        static GatedServer start() throws Exception {
            LimitsConfig defaults = LimitsConfig.DEFAULT;
            LimitsConfig limits = new LimitsConfig(defaults.maxBodyBytes(), defaults.maxHeaderBytes(),
                    defaults.maxRequestLineBytes(), HEADER_TIMEOUT, defaults.keepAliveTimeout(), defaults.bodyTimeout(),
                    MAX_PER_ADDRESS, MAX_OPENING, defaults.http2());
            AcceptGate gate = new AcceptGate(limits);
            gate.reportClosesTo(closes::add);
            Vertx vertx = Vertx.builder().withTransport(GatedTransport.preferNative(gate)).build();
            HttpServerOptions options = HostileInput.limit(new HttpServerOptions(), limits).setSsl(true).setUseAlpn(true)
                    .setAlpnVersions(List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1))
                    .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cert.cert().toString())
                            .setKeyPath(cert.key().toString()));
            GatewayMetrics metrics = new GatewayMetrics(new FleetState(FleetSnapshot.of(List.of())),
                    new ScrapedFigures(0), "test", Optional.empty());
            HttpServer http = HostileInput.guard(vertx.createHttpServer(options), vertx, limits,
                            new ClientConnections("data", MAX_PER_ADDRESS, metrics), request -> request.response().end("ok"))
                    .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
            return new GatedServer(vertx, gate, http);
        }

        int port() {
            return http.actualPort();
        }

        void close() throws Exception {
            vertx.close().await(10, TimeUnit.SECONDS);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = TestPki.create(dir);
        tls = pki.clientContext();
        cert = pki.issue("gateway", "gate");
        server = GatedServer.start();
        warmUpTls();
    }

    /**
     * The JVM's first TLS handshakes can take seconds on a busy machine, longer than the header timeout: a
     * few are made before the tests, which then time what the gate does, not the JIT.
     */
    private static void warmUpTls() {
        for (int attempt = 1; ; attempt++) {
            try {
                assertThat(get(LEGITIMATE)).isEqualTo("ok");
                return;
            } catch (IllegalStateException cutAtTheHeaderTimeout) {
                if (attempt == 5) {
                    throw cutAtTheHeaderTimeout;
                }
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void theGateIsFoundThroughItsVertxWhichKeepsItsNativeTransport() {
        assertThat(AcceptGate.of(server.vertx())).isPresent();
        assertThat(server.vertx().isNativeTransportEnabled()).isEqualTo(Transport.nativeTransport() != null
                && Transport.nativeTransport().available());
        Vertx plain = Vertx.vertx();
        try {
            assertThat(AcceptGate.of(plain)).isEmpty();
        } finally {
            plain.close();
        }
    }

    @Test
    void connectionsBeyondAnAddressOpeningLimitWaitWithoutTlsUntilOneOfItsOpeningConnectionsGoes() throws Exception {
        InetAddress crowded = address("127.0.0.2");
        List<Socket> opening = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_OPENING; i++) {
                opening.add(tcp(crowded)); // never a byte: a TLS handshake that never starts
            }
            CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> get(crowded));
            Thread.sleep(700);
            assertThat(waiting).as("no ServerHello while the address has %d connections opening", MAX_OPENING)
                    .isNotDone();
            assertThat(get(LEGITIMATE)).as("other addresses are served at once").isEqualTo("ok");

            opening.removeFirst().close();
            assertThat(waiting.get(2, TimeUnit.SECONDS)).isEqualTo("ok");
        } finally {
            closeAll(opening);
        }
    }

    @Test
    void anAddressAtItsConnectionLimitHasItsNextConnectionClosedAsItIsAccepted() throws Exception {
        InetAddress crowded = address("127.0.0.4");
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_PER_ADDRESS; i++) {
                held.add(tcp(crowded)); // two opening, two waiting
            }
            long started = System.nanoTime();
            assertThatThrownBy(() -> get(crowded)).hasRootCauseInstanceOf(IOException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(HEADER_TIMEOUT);
            assertThat(closes).contains("max_connections_per_address");
            assertThat(refusedConnection(crowded)).as("refused with a reset, not a FIN")
                    .isEqualTo(new Closing(0, true));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(HEADER_TIMEOUT);
            assertThat(get(LEGITIMATE)).isEqualTo("ok");
        } finally {
            closeAll(held);
        }
    }

    @Test
    void anHttp2ConnectionThatNeverSendsItsPrefaceIsClosedAtTheHeaderTimeout() throws Exception {
        try (SSLSocket h2 = tlsSocket(address("127.0.0.5"), "h2")) {
            h2.startHandshake();
            assertThat(h2.getApplicationProtocol()).isEqualTo("h2");
            long started = System.nanoTime();
            readUntilClosedByServer(h2.getInputStream()); // after the server's SETTINGS
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isLessThan(HEADER_TIMEOUT.plusSeconds(1));
        }
        assertThat(closes).contains("header_timeout");
    }

    @Test
    void aConnectionThatWaitedIsResetWithoutTlsBetweenHalfTheHeaderTimeoutAndTheHeaderTimeout() throws Exception {
        InetAddress crowded = address("127.0.0.6");
        List<Socket> held = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_OPENING + 1; i++) {
                held.add(tcp(crowded));
            }
            long started = System.nanoTime();
            assertThat(closing(held.getLast())).as("not a byte, not even a TLS alert, and a reset")
                    .isEqualTo(new Closing(0, true));
            assertThat(Duration.ofNanos(System.nanoTime() - started))
                    .isGreaterThan(HEADER_TIMEOUT.dividedBy(2).minusMillis(500)).isLessThan(HEADER_TIMEOUT.plusSeconds(1));
            for (Socket opening : held.subList(0, MAX_OPENING)) {
                assertThat(readUntilClosedByServer(opening.getInputStream())).as("not a byte, not even a TLS alert")
                        .isZero();
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(took).as("the opening ones at the header timeout")
                    .isGreaterThan(HEADER_TIMEOUT.minusMillis(500)).isLessThan(HEADER_TIMEOUT.plusSeconds(1));
        } finally {
            closeAll(held);
        }
    }

    @Test
    void connectionsThatWaitedTogetherAreNotClosedTogether() throws Exception {
        List<Socket> held = new ArrayList<>();
        List<Socket> waiting = new ArrayList<>();
        try {
            for (int a = 1; a <= 5; a++) {
                InetAddress crowded = address("127.0.1." + a);
                for (int i = 0; i < MAX_PER_ADDRESS; i++) {
                    (i < MAX_OPENING ? held : waiting).add(tcp(crowded));
                }
            }
            held.addAll(waiting);
            LongSummaryStatistics times;
            try (ExecutorService readers = Executors.newVirtualThreadPerTaskExecutor()) { // one reader per socket
                List<CompletableFuture<Long>> closedAt = waiting.stream().map(socket -> CompletableFuture.supplyAsync(() -> {
                    assertThat(closing(socket)).isEqualTo(new Closing(0, true));
                    return System.nanoTime();
                }, readers)).toList();
                times = closedAt.stream().mapToLong(CompletableFuture::join).summaryStatistics();
            }
            // ten closes at random over half the header timeout (1.5 s) all within 300 ms: once in 10^5 runs
            assertThat(Duration.ofNanos(times.getMax() - times.getMin())).as("accepted together, closed spread out")
                    .isGreaterThan(Duration.ofMillis(300));
        } finally {
            closeAll(held);
        }
    }

    /** How the server ended a connection: the bytes it sent first, and whether it reset it. */
    private record Closing(int bytes, boolean reset) {
    }

    /** How the server ends a connection from {@code from} that it refuses as it accepts it. */
    private static Closing refusedConnection(InetAddress from) throws IOException {
        Socket socket;
        try {
            socket = tcp(from);
        } catch (ConnectException notAccepted) {
            throw notAccepted;
        } catch (SocketException reset) {
            return new Closing(0, true); // the reset came before the socket was set up
        }
        try (socket) {
            return closing(socket);
        }
    }

    /** Reads until the server closes the connection (not until the read timeout). */
    private static Closing closing(Socket socket) {
        int bytes = 0;
        try {
            InputStream in = socket.getInputStream();
            while (in.read() >= 0) {
                bytes++;
            }
            return new Closing(bytes, false);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection within " + READ_TIMEOUT, e);
        } catch (IOException reset) {
            return new Closing(bytes, true);
        }
    }

    @Test
    void stopAcceptingClosesTheListenerAndWaitsForTheFirstHeadOfAConnectionJustAccepted() throws Exception {
        GatedServer draining = GatedServer.start();
        try (SSLSocket justAccepted = tlsSocket(LEGITIMATE, "http/1.1", draining.port())) {
            justAccepted.startHandshake();

            CompletableFuture<Void> allServed = draining.gate().stopAccepting(draining.port());
            awaitRefused(draining.port());
            Thread.sleep(200);
            assertThat(allServed).as("the connection accepted before has not sent its request yet").isNotDone();

            assertThat(get(justAccepted)).isEqualTo("ok");
            allServed.get(2, TimeUnit.SECONDS);
        } finally {
            draining.close();
        }
    }

    /** Returns once a connection to {@code port} is refused (the listener closes on its event loop). */
    private static void awaitRefused(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = tcp(LEGITIMATE, port)) {
                Thread.sleep(10);
            } catch (ConnectException refused) {
                return;
            }
        }
        throw new AssertionError("port " + port + " still accepts connections");
    }

    /** {@code GET /} over HTTP/1.1 and TLS from {@code from}: the body. */
    private static String get(InetAddress from) {
        try (SSLSocket socket = tlsSocket(from, "http/1.1")) {
            return get(socket);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String get(SSLSocket socket) throws IOException {
        socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: gateway\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        return answer.substring(answer.indexOf("\r\n\r\n") + 4);
    }

    private static SSLSocket tlsSocket(InetAddress from, String protocol) throws IOException {
        return tlsSocket(from, protocol, server.port());
    }

    private static SSLSocket tlsSocket(InetAddress from, String protocol, int port) throws IOException {
        SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(tcp(from, port), "127.0.0.1", port,
                true);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[]{protocol});
        socket.setSSLParameters(parameters);
        return socket;
    }

    private static Socket tcp(InetAddress from) throws IOException {
        return tcp(from, server.port());
    }

    private static Socket tcp(InetAddress from, int port) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(from, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) READ_TIMEOUT.toMillis());
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        return socket;
    }

    /** Reads until the server closes the connection (not until the read timeout): the bytes it sent. */
    private static int readUntilClosedByServer(InputStream in) {
        int bytes = 0;
        try {
            while (in.read() >= 0) {
                bytes++;
            }
        } catch (IOException reset) {
            // a close with unread data in the server's buffer is a reset, over TLS a close without close_notify
            assertThat(reset).isNotInstanceOf(SocketTimeoutException.class);
        }
        return bytes;
    }

    private static void closeAll(List<Socket> sockets) throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
