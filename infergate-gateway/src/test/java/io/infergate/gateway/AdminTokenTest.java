package io.infergate.gateway;

import io.infergate.gateway.config.ConfigException;
import io.infergate.gateway.config.ConfigLoader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

import static io.infergate.gateway.GatewayHarness.chat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admin listener over TLS with its own bearer token; the token never shows in logs, metrics or errors. */
class AdminTokenTest {

    private static final String TOKEN = "admin-token-4f9c2e7d1b";
    private static final String WRONG = "wrong-secret-8d3a6f0c5e";

    @TempDir
    static Path dir;
    private static GatewayHarness harness;
    private static HttpClient https;
    private static final List<String> log = new CopyOnWriteArrayList<>();
    private static final Handler capture = new Handler() {
        private final SimpleFormatter format = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
            log.add(format.format(record));
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void start() throws Exception {
        Logger.getLogger("").addHandler(capture);
        TestPki pki = TestPki.create(dir);
        TestPki.Issued admin = pki.issue("gateway-admin", "admin");
        harness = GatewayHarness.builder().emulators(1)
                .topLevel("admin: {token: " + TOKEN + ", tls: {cert: '" + admin.cert() + "', key: '" + admin.key()
                        + "'}}\n")
                .start();
        https = HttpClient.newBuilder().sslContext(pki.clientContext()).connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        harness.close();
        https.close();
        Logger.getLogger("").removeHandler(capture);
    }

    @Test
    void withoutATokenTheAdminApiIs401WithABearerChallenge() throws Exception {
        HttpResponse<String> response = admin("/admin/endpoints", null);

        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("www-authenticate")).contains("Bearer realm=\"infergate-admin\"");
        assertThat(response.body()).contains("\"code\":\"invalid_admin_token\"").contains("missing admin token");
    }

    @Test
    void withTheTokenTheAdminApiAnswers() throws Exception {
        HttpResponse<String> response = admin("/admin/endpoints", "Bearer " + TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"in_flight\"");
    }

    @Test
    void healthIsOpenAndMetricsNeedTheTokenByDefault() throws Exception {
        assertThat(admin("/health", null).statusCode()).isEqualTo(200);
        assertThat(admin("/metrics", null).statusCode()).isEqualTo(401);
        assertThat(admin("/metrics", "Bearer " + TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void aWrongTokenIsNeitherEchoedNorLoggedNorExported() throws Exception {
        HttpResponse<String> rejected = admin("/admin/picks", "Bearer " + WRONG);
        HttpResponse<String> lowercase = admin("/admin/endpoints", "bearer " + WRONG);
        HttpResponse<String> proxied = harness.http.send(HttpRequest.newBuilder(harness.url("/v1/chat/completions"))
                .header("authorization", "Bearer " + WRONG).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": 5}")).build(), HttpResponse.BodyHandlers.ofString());
        String metrics = admin("/metrics", "Bearer " + TOKEN).body();

        assertThat(rejected.statusCode()).isEqualTo(401);
        assertThat(lowercase.statusCode()).isEqualTo(401);
        assertThat(proxied.statusCode()).isEqualTo(400);
        for (String seen : List.of(rejected.body(), lowercase.body(), proxied.body(), metrics, String.join("\n", log),
                rejected.headers().map().toString())) {
            assertThat(seen).doesNotContain(WRONG).doesNotContain(TOKEN);
        }
    }

    @Test
    void aShortTokenIsAConfigErrorThatDoesNotShowIt() {
        String yaml = "admin: {token: hunter2}\npools: [{name: p, models: [m], endpoints: [{url: http://127.0.0.1:1}]}]\n";

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "short.yaml")).isInstanceOf(ConfigException.class)
                .hasMessageContaining("short.yaml:1:16: admin.token: expected a token of at least 16 characters, found one of 7")
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void aPrintedConfigurationHidesTheToken() throws Exception {
        String yaml = "admin: {token: " + TOKEN + "}\npools: [{name: p, models: [m], endpoints: [{url: http://127.0.0.1:1}]}]\n";

        assertThat(ConfigLoader.parse(yaml, "ok.yaml").toString()).doesNotContain(TOKEN).contains("(secret)");
    }

    private static HttpResponse<String> admin(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + harness.gateway.adminPort() + path)).timeout(Duration.ofSeconds(10));
        if (authorization != null) {
            request.header("authorization", authorization);
        }
        return https.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
