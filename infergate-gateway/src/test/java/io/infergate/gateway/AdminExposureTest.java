package io.infergate.gateway;

import io.infergate.gateway.config.ConfigError;
import io.infergate.gateway.config.ConfigException;
import io.infergate.gateway.config.ConfigLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The admin listener is closed by default: without a token it binds to loopback only and says so;
 * binding it elsewhere without one is a configuration error unless explicitly allowed; with a token it
 * binds where the data plane does. Load balancers probe {@code /health} on the data port. Checked by
 * connecting to this machine's own non-loopback address.
 */
class AdminExposureTest {

    private static final String POOL = """
            pools:
              - name: test
                models: [m]
                endpoints: [{url: "http://127.0.0.1:9"}]
            """;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final List<String> log = new CopyOnWriteArrayList<>();
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            log.add(record.getLevel() + " " + record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private Gateway gateway;

    @BeforeEach
    void captureLog() {
        Logger.getLogger("").addHandler(capture);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(capture);
        if (gateway != null) {
            gateway.close();
        }
        http.close();
    }

    @Test
    void withoutATokenTheAdminApiAnswersOnLoopbackOnlyAndSaysSo() throws Exception {
        gateway = Gateway.start(ConfigLoader.parse("listen: {host: 0.0.0.0, port: 0, admin_port: 0}\n" + POOL,
                "open.yaml"));
        InetAddress external = nonLoopbackAddress();

        assertThat(get("127.0.0.1", gateway.adminPort(), "/admin/endpoints").statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> connect(external, gateway.adminPort())).isInstanceOf(ConnectException.class);
        assertThat(log).contains("INFO admin API on 127.0.0.1:" + gateway.adminPort() + " without a token, so "
                + "reachable from this machine only; set admin.token (and listen.admin_host) to reach it from "
                + "elsewhere");
        // load balancers probe the data port, which listens everywhere
        HttpResponse<String> health = get(external.getHostAddress(), gateway.port(), "/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
        assertThat(health.headers().firstValue("content-type")).contains("application/json");
    }

    @Test
    void aNonLoopbackAdminHostWithoutATokenIsAConfigErrorNamingTheField() {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                listen:
                  host: 0.0.0.0
                  admin_host: 0.0.0.0
                """ + POOL, "open.yaml"))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactly(
                        new ConfigError("open.yaml", 3, 15, "listen.admin_host", "expected a loopback address "
                                + "(127.0.0.1, ::1 or localhost) while admin.token is not set, found '0.0.0.0': anyone "
                                + "reaching it could add endpoints and mint API keys; set admin.token, or "
                                + "admin.allow_remote_without_token: true to open it without one")));
    }

    @Test
    void theExplicitOptOutOpensItWithoutATokenAndWarns() throws Exception {
        gateway = Gateway.start(ConfigLoader.parse("""
                listen: {host: 127.0.0.1, port: 0, admin_host: 0.0.0.0, admin_port: 0}
                admin: {allow_remote_without_token: true}
                """ + POOL, "opt-out.yaml"));
        InetAddress external = nonLoopbackAddress();

        assertThat(get(external.getHostAddress(), gateway.adminPort(), "/admin/endpoints").statusCode()).isEqualTo(200);
        assertThat(log).anySatisfy(line -> assertThat(line).startsWith("WARNING admin API on 0.0.0.0:"
                + gateway.adminPort() + " WITHOUT a token (admin.allow_remote_without_token)"));
    }

    @Test
    void withATokenTheAdminApiBindsWhereTheDataPlaneDoes() throws Exception {
        gateway = Gateway.start(ConfigLoader.parse("""
                listen: {host: 0.0.0.0, port: 0, admin_port: 0}
                admin: {token: a-long-enough-admin-token}
                """ + POOL, "token.yaml"));
        InetAddress external = nonLoopbackAddress();

        assertThat(get(external.getHostAddress(), gateway.adminPort(), "/admin/endpoints").statusCode()).isEqualTo(401);
        assertThat(get(external.getHostAddress(), gateway.adminPort(), "/health").statusCode()).isEqualTo(200);
        assertThat(log).contains("INFO admin API on 0.0.0.0:" + gateway.adminPort() + ", bearer token required");
    }

    private HttpResponse<String> get(String host, int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void connect(InetAddress address, int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 2000);
        }
    }

    /** An IPv4 address of this machine that other hosts could reach. */
    private static InetAddress nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                if (address instanceof Inet4Address && !address.isLinkLocalAddress()) {
                    return address;
                }
            }
        }
        throw new IllegalStateException("this test needs a network interface with an IPv4 address besides loopback");
    }
}
