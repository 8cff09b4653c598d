package io.infergate.gateway;

import io.infergate.gateway.config.ConfigLoader;
import io.infergate.gateway.config.GatewayConfig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code shutdown.reuse_port}: on (the default), a second gateway starts on the ports of a running one, as
 * a restart in place needs; off, it fails to start.
 */
class ReusePortTest {

    private int port;
    private int adminPort;

    @BeforeEach
    void freePorts() throws Exception {
        try (ServerSocket data = new ServerSocket(0); ServerSocket admin = new ServerSocket(0)) {
            port = data.getLocalPort();
            adminPort = admin.getLocalPort();
        }
    }

    @Test
    void bothPortsAreSharedWithASecondGatewayByDefault() throws Exception {
        try (Gateway first = Gateway.start(config(""));
             Gateway second = Gateway.start(config(""))) {
            assertThat(second.port()).isEqualTo(first.port()).isEqualTo(port);
            assertThat(second.adminPort()).isEqualTo(first.adminPort()).isEqualTo(adminPort);
        }
    }

    @Test
    void withoutReusePortASecondGatewayFailsToStart() throws Exception {
        try (Gateway first = Gateway.start(config("shutdown: {reuse_port: false}\n"))) {
            assertThat(first.port()).isEqualTo(port);
            assertThatThrownBy(() -> Gateway.start(config("shutdown: {reuse_port: false}\n")).close())
                    .hasMessageContaining("gateway failed to start").hasMessageContaining("in use");
        }
    }

    private GatewayConfig config(String extraYaml) throws Exception {
        return ConfigLoader.parse("""
                listen: {host: 127.0.0.1, port: %d, admin_port: %d}
                %spools:
                  - name: chat
                    models: [m]
                    endpoints: [{url: "http://127.0.0.1:9"}]
                """.formatted(port, adminPort, extraYaml), "reuse.yaml");
    }
}
