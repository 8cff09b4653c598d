package io.infergate.gateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TLS and admin sections: file checks with line and column, and secrets kept out of messages. */
class TlsConfigValidationTest {

    private static final String POOLS = "pools: [{name: p, models: [m], endpoints: [{url: http://127.0.0.1:1}]}]\n";

    @TempDir
    Path dir;

    @Test
    void listenerTlsBindsItsFiles() throws Exception {
        Path cert = write("cert.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Path key = write("key.pem", "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");

        GatewayConfig config = ConfigLoader.parse("listen: {tls: {cert: '" + cert + "', key: '" + key
                + "', reload_check_ms: 250}}\nbackend_tls: {ca: '" + cert + "'}\n" + POOLS, "ok.yaml", Map.of());

        assertThat(config.listen().tls()).contains(new ServerTlsConfig(cert, key, Duration.ofMillis(250)));
        assertThat(config.backendTls()).isEqualTo(new BackendTlsConfig(Optional.empty(), Optional.of(cert)));
        assertThat(config.admin()).isEqualTo(AdminConfig.DEFAULT);
    }

    @Test
    void missingFilesAndFilesWithoutTheExpectedBlockAreReportedWhereWritten() throws Exception {
        Path notPem = write("key.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        String yaml = "listen:\n  tls:\n    cert: " + dir.resolve("absent.pem") + "\n    key: " + notPem + "\n" + POOLS;

        assertThatThrownBy(() -> ConfigLoader.parse(yaml, "tls.yaml", Map.of())).isInstanceOf(ConfigException.class)
                .hasMessageContaining("tls.yaml:3:11: listen.tls.cert: expected a readable PEM file, found '"
                        + dir.resolve("absent.pem") + "' (no such file)")
                .hasMessageContaining("tls.yaml:4:10: listen.tls.key: expected a PEM file with a "
                        + "'-----BEGIN PRIVATE KEY-----' block, found none in '" + notPem + "'")
                .hasMessageNotContaining("AAAA");
    }

    @Test
    void aClientCertificateNeedsItsKey() throws Exception {
        Path cert = write("client.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> ConfigLoader.parse("backend_tls: {cert: '" + cert + "'}\n" + POOLS, "b.yaml", Map.of()))
                .hasMessageContaining("b.yaml:1:21: backend_tls.key: expected 'key' with 'cert' (a client "
                        + "certificate needs both), found none");
    }

    @Test
    void anAdminTokenComesFromTheEnvironmentAndIsNeverShown() throws Exception {
        GatewayConfig config = ConfigLoader.parse("admin: {token: '${ADMIN_TOKEN}', metrics_open: true}\n" + POOLS,
                "env.yaml", Map.of("ADMIN_TOKEN", "from-the-environment-42"));

        assertThat(config.admin().token()).hasValueSatisfying(token -> {
            assertThat(token.matches("from-the-environment-42")).isTrue();
            assertThat(token.matches("from-the-environment-43")).isFalse();
        });
        assertThat(config.admin().metricsOpen()).isTrue();
        assertThat(config.toString()).doesNotContain("from-the-environment-42");
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}
