package io.infergate.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static io.infergate.gateway.GatewayHarness.MODEL;
import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a hostile client sends over a raw socket: smuggling attempts, oversized heads, slowloris, header
 * injection. The gateway sits in front of a backend that records the headers it receives.
 */
class HostileInputTest {

    private static final String CHAT = "POST /v1/chat/completions HTTP/1.1\r\nHost: gateway\r\n";
    private static final String BODY = chat("hello", 2, false);
    private static final Duration HEADER_TIMEOUT = Duration.ofMillis(1000);
    private static final Duration KEEP_ALIVE_TIMEOUT = Duration.ofMillis(3000);
    private static final Duration BODY_TIMEOUT = Duration.ofMillis(1000);

    private static final BlockingQueue<MultiMap> received = new LinkedBlockingQueue<>();
    private static Vertx backendVertx;
    private static HttpServer backend;
    private static GatewayHarness harness;

    @BeforeAll
    static void start() throws Exception {
        backendVertx = Vertx.vertx();
        backend = backendVertx.createHttpServer().requestHandler(request -> {
            if (request.path().equals("/v1/chat/completions")) {
                received.add(MultiMap.caseInsensitiveMultiMap().addAll(request.headers()));
                request.body().onSuccess(b -> request.response().putHeader("content-type", "application/json")
                        .end("{\"id\":\"x\",\"object\":\"chat.completion\",\"model\":\"" + MODEL + "\",\"choices\":[]}"));
            } else {
                request.response().end();
            }
        }).listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        harness = GatewayHarness.builder()
                .extraEndpoints("      - {id: recorder, url: \"http://127.0.0.1:" + backend.actualPort() + "\"}\n")
                .topLevel("limits: {max_header_bytes: 2048, max_request_line_bytes: 512, header_timeout_ms: "
                        + HEADER_TIMEOUT.toMillis() + ", keep_alive_timeout_ms: " + KEEP_ALIVE_TIMEOUT.toMillis()
                        + ", body_timeout_ms: " + BODY_TIMEOUT.toMillis() + "}\n")
                .start();
    }

    @AfterAll
    static void stop() throws Exception {
        harness.close();
        backendVertx.close().await(10, TimeUnit.SECONDS);
    }

    @Test
    void contentLengthWithTransferEncodingIsA400AndTheConnectionCloses() throws Exception {
        assertRejectedAndClosed(CHAT + "Content-Length: " + BODY.length() + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                + chunked(BODY), "400");
    }

    @Test
    void conflictingContentLengthsAreA400() throws Exception {
        assertRejectedAndClosed(CHAT + "Content-Length: " + BODY.length() + "\r\nContent-Length: 5\r\n\r\n" + BODY, "400");
        assertRejectedAndClosed(CHAT + "Content-Length: " + BODY.length() + ", 5\r\n\r\n" + BODY, "400");
    }

    @Test
    void aTransferEncodingOtherThanChunkedIsA400AndItsBodyIsNotReadAsANextRequest() throws Exception {
        String smuggled = "GET /v1/models HTTP/1.1\r\nHost: gateway\r\n\r\n";
        try (RawHttp raw = new RawHttp(harness.gateway.port(), Duration.ofSeconds(5))) {
            String answer = raw.send(CHAT + "Transfer-Encoding: gzip\r\n\r\n" + smuggled).readAll();

            assertThat(answer).startsWith("HTTP/1.1 400").contains("Transfer-Encoding: gzip");
            assertThat(answer).doesNotContain("\"object\":\"list\"");
        }
        assertNothingForwarded();
    }

    @Test
    void headerFieldsOverTheLimitAreA431() throws Exception {
        assertRejectedAndClosed(CHAT + "X-Padding: " + "p".repeat(4096) + "\r\nContent-Length: " + BODY.length()
                + "\r\n\r\n" + BODY, "431");
    }

    @Test
    void aRequestLineOverTheLimitIsA414() throws Exception {
        assertRejectedAndClosed("GET /v1/models?q=" + "q".repeat(1024) + " HTTP/1.1\r\nHost: gateway\r\n\r\n", "414");
    }

    @Test
    void aClientTricklingItsHeadOneByteAtATimeIsCutOff() throws Exception {
        try (RawHttp raw = new RawHttp(harness.gateway.port(), Duration.ofSeconds(5))) {
            long start = System.nanoTime();
            boolean sentAll = raw.trickle(CHAT + "Content-Length: " + BODY.length() + "\r\nX-Slow: "
                    + "s".repeat(100) + "\r\n\r\n", Duration.ofMillis(100));
            long cutAfterMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(sentAll).as("the gateway closed the connection before the head was complete").isFalse();
            assertThat(cutAfterMillis).isBetween(HEADER_TIMEOUT.toMillis(), HEADER_TIMEOUT.toMillis() + 3000);
        }
        assertNothingForwarded();
    }

    @Test
    void aClientTricklingItsBodyIsAnswered408AndCutOff() throws Exception {
        try (RawHttp raw = new RawHttp(harness.gateway.port(), Duration.ofSeconds(5))) {
            raw.send(CHAT + "Content-Type: application/json\r\nContent-Length: " + BODY.length() + "\r\n\r\n");
            long start = System.nanoTime();
            boolean sentAll = raw.trickle(BODY, Duration.ofMillis(100));
            long cutAfterMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(sentAll).isFalse();
            assertThat(cutAfterMillis).isBetween(BODY_TIMEOUT.toMillis(), BODY_TIMEOUT.toMillis() + 3000);
            assertThat(raw.readAll()).startsWith("HTTP/1.1 408").contains("request_timeout");
        }
        assertNothingForwarded();
    }

    @Test
    void anIdleKeptAliveConnectionIsClosedAfterTheKeepAliveTimeoutNotTheHeaderTimeout() throws Exception {
        try (RawHttp raw = new RawHttp(harness.gateway.port(), Duration.ofMillis(KEEP_ALIVE_TIMEOUT.toMillis() + 3000))) {
            raw.send("GET /v1/models HTTP/1.1\r\nHost: gateway\r\n\r\n");
            long start = System.nanoTime();
            String answer = raw.readAll();
            long idleMillis = (System.nanoTime() - start) / 1_000_000;

            assertThat(answer).startsWith("HTTP/1.1 200");
            // the head timeout (1 s) is for a connection's first head; between requests clients keep connections idle longer
            assertThat(idleMillis).isBetween(KEEP_ALIVE_TIMEOUT.toMillis() - 200, KEEP_ALIVE_TIMEOUT.toMillis() + 3000);
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    @Test
    void headersNamedByConnectionAndHopByHopHeadersDoNotReachTheEndpoint() throws Exception {
        received.clear();
        try (RawHttp raw = new RawHttp(harness.gateway.port(), Duration.ofSeconds(5))) {
            String answer = raw.send(CHAT + "Content-Type: application/json\r\nConnection: keep-alive, X-Foo\r\n"
                    + "X-Foo: injected\r\nKeep-Alive: timeout=5\r\nProxy-Authorization: Basic c2VjcmV0\r\n"
                    + "TE: trailers\r\nUpgrade: websocket\r\nX-Kept: yes\r\nContent-Length: " + BODY.length()
                    + "\r\n\r\n" + BODY).readAll();
            assertThat(answer).startsWith("HTTP/1.1 200");
        }
        MultiMap headers = received.poll(5, TimeUnit.SECONDS);
        assertThat(headers).isNotNull();
        assertThat(headers.get("x-kept")).isEqualTo("yes");
        assertThat(headers.names()).map(String::toLowerCase)
                .doesNotContain("x-foo", "keep-alive", "proxy-authorization", "te", "upgrade");
        assertThat(headers.get("content-length")).isEqualTo(Integer.toString(BODY.length()));
    }

    @Test
    void anAbsoluteFormRequestLineGoesToTheGatewaysEndpointNeverToTheHostItNames() throws Exception {
        received.clear();
        AtomicInteger bystanderHits = new AtomicInteger();
        HttpServer bystander = backendVertx.createHttpServer()
                .requestHandler(request -> {
                    bystanderHits.incrementAndGet();
                    request.response().end();
                })
                .listen(0, "127.0.0.1").await(10, TimeUnit.SECONDS);
        try (RawHttp raw = new RawHttp(harness.gateway.port(), Duration.ofSeconds(5))) {
            String answer = raw.send("POST http://127.0.0.1:" + bystander.actualPort() + "/v1/chat/completions HTTP/1.1\r\n"
                    + "Host: 127.0.0.1:" + bystander.actualPort() + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + BODY.length() + "\r\nConnection: close\r\n\r\n" + BODY).readAll();

            assertThat(answer).startsWith("HTTP/1.1 200").contains("x-infergate-endpoint: recorder");
        } finally {
            bystander.close().await(10, TimeUnit.SECONDS);
        }
        assertThat(received.poll(5, TimeUnit.SECONDS)).as("the configured endpoint got it").isNotNull();
        assertThat(bystanderHits).as("the host named in the request line got nothing").hasValue(0);
    }

    @Test
    void aBareCarriageReturnInAHeaderIsA400AndNothingIsForwarded() throws Exception {
        received.clear();
        assertRejectedAndClosed(CHAT + "X-Evil: a\rInjected: yes\r\nContent-Length: " + BODY.length() + "\r\n\r\n"
                + BODY, "400");
        assertNothingForwarded();
    }

    private static void assertRejectedAndClosed(String request, String status) throws Exception {
        try (RawHttp raw = new RawHttp(harness.gateway.port(), Duration.ofSeconds(5))) {
            String answer = raw.send(request).readAll();

            // Netty answers a request line it could not read as HTTP/1.0.
            assertThat(answer).matches("(?s)HTTP/1\\.[01] " + status + " .*");
            assertThat(raw.closedByServer()).isTrue();
        }
    }

    private static void assertNothingForwarded() {
        assertThat(received).isEmpty();
    }

    private static String chunked(String body) {
        return Integer.toHexString(body.length()) + "\r\n" + body + "\r\n0\r\n\r\n";
    }
}
