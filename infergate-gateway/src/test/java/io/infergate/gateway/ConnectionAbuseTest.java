package io.infergate.gateway;

import io.netty.handler.codec.http2.Http2Headers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.infergate.gateway.GatewayHarness.chat;
import static io.infergate.gateway.RawH2.CANCEL;
import static io.infergate.gateway.RawH2.ENHANCE_YOUR_CALM;
import static io.infergate.gateway.RawH2.GOAWAY;
import static io.infergate.gateway.RawH2.HEADERS;
import static io.infergate.gateway.RawH2.REFUSED_STREAM;
import static io.infergate.gateway.RawH2.RST_STREAM;
import static io.infergate.gateway.RawH2.SETTINGS_MAX_CONCURRENT_STREAMS;
import static io.infergate.gateway.RawH2.SETTINGS_MAX_HEADER_LIST_SIZE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Connection abuse over real sockets, each limit tripped by a raw HTTP/2 client over TLS (the gateway offers
 * HTTP/2 through ALPN only): more streams than allowed, a rapid-reset flood, a header list over the limit,
 * more connections from one address than allowed, and connections left idle. Each check is what the
 * client sees (SETTINGS, RST_STREAM, GOAWAY, a close) and what {@code /metrics} counts.
 */
class ConnectionAbuseTest {

    private static final int MAX_STREAMS = 3;
    private static final int MAX_RESETS = 20;
    private static final int MAX_HEADER_BYTES = 2048;
    private static final int MAX_PER_ADDRESS = 3;
    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(2000);
    private static final Duration KEEP_ALIVE_TIMEOUT = Duration.ofMillis(1500);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    private static final String CHAT = "/v1/chat/completions";

    @TempDir
    static Path dir;
    private static SSLContext tls;
    private static GatewayHarness harness;

    @BeforeAll
    static void start() throws Exception {
        TestPki pki = TestPki.create(dir);
        tls = pki.clientContext();
        harness = GatewayHarness.builder().emulators(1)
                .listen(TlsTest.tls(pki.issue("gateway", "abuse"), 5000))
                .topLevel("limits: {max_header_bytes: " + MAX_HEADER_BYTES
                        + ", header_timeout_ms: " + HEADER_TIMEOUT.toMillis()
                        + ", keep_alive_timeout_ms: " + KEEP_ALIVE_TIMEOUT.toMillis()
                        + ", max_connections_per_address: " + MAX_PER_ADDRESS
                        + ", http2: {max_concurrent_streams: " + MAX_STREAMS + ", max_resets: " + MAX_RESETS
                        + ", reset_window_ms: 10000}}\n")
                .start();
        // the JVM's first TLS handshakes can take seconds on a busy machine, longer than the header timeout
        assertServedSoon(InetAddress.getByName("127.0.0.4"));
    }

    @AfterAll
    static void stop() {
        harness.close();
    }

    @Test
    void theServerAnnouncesItsStreamLimitAndRefusesTheStreamOverIt() throws Exception {
        try (RawH2 h2 = connect()) {
            Map<Integer, Long> settings = h2.handshake();
            assertThat(settings).containsEntry(SETTINGS_MAX_CONCURRENT_STREAMS, (long) MAX_STREAMS)
                    .containsEntry(SETTINGS_MAX_HEADER_LIST_SIZE, (long) MAX_HEADER_BYTES);

            // each stream stays open: its body never comes
            for (int stream = 1; stream <= 2 * MAX_STREAMS + 1; stream += 2) {
                h2.headers(stream, RawH2.request("POST", CHAT), false);
            }
            RawH2.Frame reset = h2.next(RST_STREAM);
            assertThat(reset.streamId()).isEqualTo(2 * MAX_STREAMS + 1);
            assertThat(reset.errorCode()).isEqualTo(REFUSED_STREAM);

            h2.data(1, chat("hello", 2, false), true);
            assertAnswered(h2, 1, "200");
        }
    }

    @Test
    void aRapidResetFloodGetsGoawayEnhanceYourCalmAndTheConnectionIsClosed() throws Exception {
        double before = closedConnections("http2_flood");
        try (RawH2 h2 = connect()) {
            h2.handshake();
            for (int stream = 1; stream <= 2 * (MAX_RESETS + 1); stream += 2) {
                h2.headers(stream, RawH2.request("POST", CHAT), false);
                h2.reset(stream, CANCEL);
            }
            RawH2.Frame goAway = h2.next(GOAWAY);
            assertThat(goAway.errorCode()).isEqualTo(ENHANCE_YOUR_CALM);
            h2.awaitClose();
        }
        assertThat(closedConnections("http2_flood")).isEqualTo(before + 1);
        try (RawH2 h2 = connect()) {
            h2.handshake();
            h2.headers(1, RawH2.request("GET", "/v1/models"), true);
            assertAnswered(h2, 1, "200");
        }
    }

    @Test
    void aHeaderListOverTheLimitIsAnswered431AndTheConnectionLivesOn() throws Exception {
        try (RawH2 h2 = connect()) {
            h2.handshake();
            Http2Headers oversize = RawH2.request("GET", "/v1/models").add("x-padding", "a".repeat(MAX_HEADER_BYTES));
            h2.headers(1, oversize, true);
            assertAnswered(h2, 1, "431");

            h2.headers(3, RawH2.request("GET", "/v1/models"), true);
            assertAnswered(h2, 3, "200");
        }
    }

    @Test
    void aConnectionOverTheLimitOfItsAddressIsClosedAtOnceWhileOtherAddressesAreServed() throws Exception {
        InetAddress crowded = InetAddress.getByName("127.0.0.2");
        double before = closedConnections("max_connections_per_address");
        List<RawH2> held = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_PER_ADDRESS; i++) {
                RawH2 h2 = RawH2.connect(tls, crowded, harness.gateway.port(), READ_TIMEOUT);
                held.add(h2);
                h2.handshake();
                h2.headers(1, RawH2.request("POST", CHAT), false); // a request in flight: never idle
            }
            long started = System.nanoTime();
            // reset as it is accepted, before the gateway spends any TLS work on it
            assertThatThrownBy(() -> RawH2.connect(tls, crowded, harness.gateway.port(), READ_TIMEOUT).close())
                    .isInstanceOf(SocketException.class).hasMessageContaining("reset");
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(HEADER_TIMEOUT);
            assertThat(closedConnections("max_connections_per_address")).isEqualTo(before + 1);
            assertServed(InetAddress.getByName("127.0.0.3"));

            held.removeFirst().close();
            assertServedSoon(crowded);
        } finally {
            for (RawH2 h2 : held) {
                h2.close();
            }
        }
    }

    @Test
    void anHttp2ConnectionIdleForTheKeepAliveTimeoutGetsGoawayAndIsClosed() throws Exception {
        double before = closedConnections("keep_alive_timeout");
        try (RawH2 h2 = connect()) {
            h2.handshake();
            // timed from before the request: the gateway's idle time starts when its answer ends, which a
            // busy client may read a while later
            long sent = System.nanoTime();
            h2.headers(1, RawH2.request("GET", "/v1/models"), true);
            assertAnswered(h2, 1, "200");

            h2.next(GOAWAY);
            assertThat(Duration.ofNanos(System.nanoTime() - sent))
                    .isBetween(KEEP_ALIVE_TIMEOUT, KEEP_ALIVE_TIMEOUT.plusSeconds(2));
            h2.awaitClose();
        }
        assertThat(closedConnections("keep_alive_timeout")).isGreaterThan(before);
    }

    @Test
    void aConnectionWithAStreamInFlightIsNotIdleHoweverLongTheStreamTakes() throws Exception {
        try (RawH2 h2 = connect()) {
            h2.handshake();
            h2.headers(1, RawH2.request("POST", CHAT), false);
            Thread.sleep(KEEP_ALIVE_TIMEOUT.multipliedBy(2).plusMillis(200).toMillis());

            h2.data(1, chat("hello", 2, false), true);
            assertAnswered(h2, 1, "200");
        }
    }

    @Test
    void aConnectionWhoseOnlyStreamItResetIsClosedWhenIdleToo() throws Exception {
        try (RawH2 h2 = connect()) {
            h2.handshake();
            h2.headers(1, RawH2.request("POST", CHAT), false);
            h2.reset(1, CANCEL);
            long reset = System.nanoTime();

            h2.next(GOAWAY);
            assertThat(Duration.ofNanos(System.nanoTime() - reset)).isLessThan(KEEP_ALIVE_TIMEOUT.multipliedBy(2)
                    .plusSeconds(2));
            h2.awaitClose();
        }
    }

    @Test
    void anHttp2ConnectionThatNeverSendsARequestIsClosedAfterTheHeaderTimeout() throws Exception {
        double before = closedConnections("header_timeout");
        try (RawH2 h2 = connect()) {
            h2.handshake();
            long opened = System.nanoTime();

            h2.next(GOAWAY);
            assertThat(Duration.ofNanos(System.nanoTime() - opened))
                    .isBetween(HEADER_TIMEOUT.minusMillis(200), HEADER_TIMEOUT.plusSeconds(2));
            h2.awaitClose();
        }
        assertThat(closedConnections("header_timeout")).isGreaterThan(before);
        assertThat(metrics()).contains("infergate_connections_open{listener=\"data\"}")
                .contains("infergate_connections_open{listener=\"admin\"}");
    }

    private static RawH2 connect() throws IOException {
        return RawH2.connect(tls, harness.gateway.port(), READ_TIMEOUT);
    }

    /** A connection from {@code address} that gets {@code GET /v1/models} answered. */
    private static void assertServed(InetAddress address) throws Exception {
        try (RawH2 h2 = RawH2.connect(tls, address, harness.gateway.port(), READ_TIMEOUT)) {
            h2.handshake();
            h2.headers(1, RawH2.request("GET", "/v1/models"), true);
            assertAnswered(h2, 1, "200");
        }
    }

    /** As {@link #assertServed}, allowing the gateway a moment to see a connection of that address close. */
    private static void assertServedSoon(InetAddress address) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                assertServed(address);
                return;
            } catch (IOException closedAtOnce) {
                if (attempt == 20) {
                    throw closedAtOnce;
                }
                Thread.sleep(100);
            }
        }
    }

    /** The next HEADERS frame is the answer to {@code stream}, with {@code status}. */
    private static void assertAnswered(RawH2 h2, int stream, String status) throws Exception {
        RawH2.Frame headers = h2.next(HEADERS);
        assertThat(headers.streamId()).isEqualTo(stream);
        assertThat(h2.decode(headers).status()).hasToString(status);
    }

    private static double closedConnections(String reason) throws Exception {
        Matcher matcher = Pattern.compile("(?m)^infergate_connections_closed_total\\{listener=\"data\",reason=\""
                + reason + "\"} (\\S+)$").matcher(metrics());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    private static String metrics() throws Exception {
        return harness.get(harness.adminUrl("/metrics")).body();
    }
}
