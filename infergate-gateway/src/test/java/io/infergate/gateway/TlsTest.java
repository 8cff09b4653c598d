package io.infergate.gateway;

import io.infergate.emulator.EmulatorTls;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Optional;

import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;

/** TLS on the data plane (HTTP/2 through ALPN, reload without restart) and mutual TLS towards endpoints. */
class TlsTest {

    @TempDir
    static Path dir;
    private static TestPki pki;

    @BeforeAll
    static void createAuthority() throws Exception {
        pki = TestPki.create(dir);
    }

    @Test
    void dataPlaneServesTlsAndNegotiatesHttp2ThroughAlpn() throws Exception {
        TestPki.Issued server = pki.issue("gateway-1", "alpn");
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1).listen(tls(server, 5000)).start()) {
            HttpResponse<String> h2 = post(harness, HttpClient.Version.HTTP_2);
            HttpResponse<String> h1 = post(harness, HttpClient.Version.HTTP_1_1);

            assertThat(h2.statusCode()).isEqualTo(200);
            assertThat(h2.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(peerName(h2)).isEqualTo("CN=gateway-1");
            assertThat(h2.body()).contains("chat.completion");
            assertThat(h1.statusCode()).isEqualTo(200);
            assertThat(h1.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        }
    }

    @Test
    void aRewrittenCertificateIsServedToNewConnectionsWithoutRestart() throws Exception {
        TestPki.Issued first = pki.issue("gateway-1", "reload");
        try (GatewayHarness harness = GatewayHarness.builder().emulators(1).listen(tls(first, 50)).start()) {
            assertThat(peerName(post(harness, HttpClient.Version.HTTP_2))).isEqualTo("CN=gateway-1");

            pki.issue("gateway-2", "reload");

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            HttpResponse<String> after = post(harness, HttpClient.Version.HTTP_2);
            while (!peerName(after).equals("CN=gateway-2") && System.nanoTime() < deadline) {
                Thread.sleep(50);
                after = post(harness, HttpClient.Version.HTTP_2);
            }
            assertThat(peerName(after)).isEqualTo("CN=gateway-2");
            assertThat(after.statusCode()).isEqualTo(200);
            assertThat(after.version()).isEqualTo(HttpClient.Version.HTTP_2);
        }
    }

    @Test
    void endpointsRequiringAClientCertificateAreReachedWithMutualTls() throws Exception {
        TestPki.Issued emulator = pki.issue("emulator", "mtls-emulator");
        TestPki.Issued client = pki.issue("gateway-client", "mtls-client");
        try (GatewayHarness harness = GatewayHarness.builder()
                .emulator(o -> o.tls(new EmulatorTls(emulator.cert(), emulator.key(), Optional.of(pki.caFile()))))
                .topLevel("backend_tls: {cert: '" + client.cert() + "', key: '" + client.key() + "', ca: '"
                        + pki.caFile() + "'}\n")
                .start()) {
            assertThat(harness.emulators.getFirst().url().getScheme()).isEqualTo("https");

            HttpResponse<String> response = harness.post("/v1/chat/completions", chat("hello", 3, false));

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("x-infergate-endpoint")).contains("ep0");
        }
    }

    @Test
    void withoutAClientCertificateSuchAnEndpointRefusesTheGateway() throws Exception {
        TestPki.Issued emulator = pki.issue("emulator", "refusing-emulator");
        try (GatewayHarness harness = GatewayHarness.builder()
                .emulator(o -> o.tls(new EmulatorTls(emulator.cert(), emulator.key(), Optional.of(pki.caFile()))))
                .topLevel("backend_tls: {ca: '" + pki.caFile() + "'}\nretry: {max_attempts: 1}\n")
                .start()) {
            HttpResponse<String> response = harness.post("/v1/chat/completions", chat("hello", 3, false));

            assertThat(response.statusCode()).isIn(502, 503);
            assertThat(response.body()).containsAnyOf("upstream_", "no_healthy_endpoint");
        }
    }

    static String tls(TestPki.Issued server, int reloadCheckMillis) {
        return ", tls: {cert: '" + server.cert() + "', key: '" + server.key() + "', reload_check_ms: "
                + reloadCheckMillis + "}";
    }

    /** A request on a new connection, so that it sees the certificate served now. */
    private static HttpResponse<String> post(GatewayHarness harness, HttpClient.Version version) throws Exception {
        try (HttpClient client = HttpClient.newBuilder().version(version).sslContext(pki.clientContext())
                .connectTimeout(Duration.ofSeconds(5)).build()) {
            return client.send(HttpRequest.newBuilder(
                            URI.create("https://127.0.0.1:" + harness.gateway.port() + "/v1/chat/completions"))
                    .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(chat("hello", 3, false))).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    private static String peerName(HttpResponse<?> response) throws Exception {
        SSLSession session = response.sslSession().orElseThrow();
        return ((X509Certificate) session.getPeerCertificates()[0]).getSubjectX500Principal().getName();
    }
}
