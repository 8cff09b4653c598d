package io.infergate.loadgen.bench;

import io.infergate.core.testing.RequiredTool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ProxyConfigsTest {

    private static final List<FleetMember> FLEET = List.of(
            new FleetMember("a100-1", URI.create("http://127.0.0.1:9001"), "eu-west", 2.1),
            new FleetMember("l4-1", URI.create("http://127.0.0.1:9002"), "edge-paris", 0.8));

    @Test
    void nginxKeepsUpstreamConnectionsAliveAndDoesNotBufferStreams(@TempDir Path dir) throws Exception {
        String rr = ProxyConfigs.nginx(dir, 18080, FLEET, false, 1000, Optional.empty(), Optional.empty());
        String lc = ProxyConfigs.nginx(dir, 18080, FLEET, true, 1000, Optional.empty(), Optional.empty());

        assertThat(rr).doesNotContain("least_conn").contains("worker_processes 1;", "server 127.0.0.1:9001",
                "server 127.0.0.1:9002", "keepalive 1024;", "proxy_http_version 1.1;", "proxy_set_header Connection \"\";",
                "proxy_buffering off;", "listen 127.0.0.1:18080");
        assertThat(lc).contains("least_conn;");
        RequiredTool.present(Executables.find("nginx"), "nginx", "checking the generated nginx.conf with nginx -t");
        Files.createDirectories(dir.resolve("tmp"));
        Path conf = Files.writeString(dir.resolve("nginx.conf"), lc);
        assertThat(check(dir, Executables.find("nginx").get().toString(), "-t", "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString())).isZero();
    }

    @Test
    void haproxyUsesOneThreadAndTheChosenBalance(@TempDir Path dir) throws Exception {
        String rr = ProxyConfigs.haproxy(18080, FLEET, false, 1000, Optional.empty(), "/health", Optional.empty());
        String lc = ProxyConfigs.haproxy(18080, FLEET, true, 1000, Optional.empty(), "/health", Optional.empty());

        assertThat(rr).contains("balance roundrobin", "nbthread 1", "http-reuse always", "option http-keep-alive",
                "server a100-1 127.0.0.1:9001", "bind 127.0.0.1:18080");
        assertThat(lc).contains("balance leastconn");
        RequiredTool.present(Executables.find("haproxy"), "haproxy", "checking the generated haproxy.cfg with haproxy -c");
        Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), lc);
        assertThat(check(dir, Executables.find("haproxy").get().toString(), "-c", "-f", cfg.toString())).isZero();
    }

    @Test
    void withACertificateEveryProxyServesTlsWithHttp2OnItsDataPort(@TempDir Path dir) throws Exception {
        BenchCertificate tls = BenchCertificate.create(dir.resolve("tls"));

        String nginx = ProxyConfigs.nginx(dir, 18443, FLEET, true, 1000, Optional.empty(), Optional.of(tls));
        String haproxy = ProxyConfigs.haproxy(18443, FLEET, true, 1000, Optional.empty(), "/health", Optional.of(tls));
        String infergate = ProxyConfigs.infergate(18443, 18081, FLEET, "llama-3.1-8b-instruct", GatewayFlow.DEFAULT, GatewayRouting.DEFAULT,
                Optional.empty(), Optional.of(tls));

        assertThat(Files.readString(tls.cert())).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(tls.key())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(nginx).contains("listen 127.0.0.1:18443 ssl http2 backlog=4096;", "ssl_certificate " + tls.cert());
        assertThat(haproxy).contains("bind 127.0.0.1:18443 ssl crt " + tls.combined() + " alpn h2,http/1.1");
        assertThat(infergate).contains("tls: {cert: \"" + tls.cert() + "\", key: \"" + tls.key() + "\"}");
        RequiredTool.present(Executables.find("nginx"), "nginx", "checking the generated nginx.conf with nginx -t");
        RequiredTool.present(Executables.find("haproxy"), "haproxy", "checking the generated haproxy.cfg with haproxy -c");
        Files.createDirectories(dir.resolve("tmp"));
        Path conf = Files.writeString(dir.resolve("nginx.conf"), nginx);
        assertThat(check(dir, Executables.find("nginx").get().toString(), "-t", "-p", dir.toString(), "-c", conf.toString(),
                "-e", dir.resolve("error.log").toString())).isZero();
        Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), haproxy);
        assertThat(check(dir, Executables.find("haproxy").get().toString(), "-c", "-f", cfg.toString())).isZero();
    }

    @Test
    void infergateGetsTheFleetAsOnePoolRoutedByTheGatewaysDefaultScheduler() {
        String yaml = ProxyConfigs.infergate(18080, 18081, FLEET, "llama-3.1-8b-instruct", GatewayFlow.DEFAULT,
                SystemKind.INFERGATE.routing(), Optional.empty(), Optional.empty());

        assertThat(yaml).contains("listen: {host: 127.0.0.1, port: 18080, admin_port: 18081}",
                "scrape: {interval_ms: 200}", "models: [llama-3.1-8b-instruct]",
                "- {url: \"http://127.0.0.1:9002\", id: \"l4-1\", region: edge-paris, price_per_hour: 0.80}")
                .doesNotContain("routing:");
    }

    @Test
    void priorityRunsInfergateWithItsDefaultsAndTheTunedSettingsBesideThem() {
        String defaults = infergate(BenchScenario.PRIORITY.gatewayFlow(SystemKind.INFERGATE));
        String tuned = infergate(BenchScenario.PRIORITY.gatewayFlow(SystemKind.INFERGATE_TUNED));
        String off = infergate(BenchScenario.PRIORITY.gatewayFlow(SystemKind.INFERGATE_NO_FLOW));

        assertThat(defaults).doesNotContain("flow_control");
        assertThat(tuned).endsWith("flow_control:\n  enabled: true\n  reserved_for_critical: 0.5\n"
                + "  saturation: {max_requests_per_endpoint: 4}\n");
        assertThat(off).endsWith("flow_control:\n  enabled: false\n");
    }

    private static String infergate(GatewayFlow flow) {
        return ProxyConfigs.infergate(18080, 18081, FLEET, "llama-3.1-8b-instruct", flow, GatewayRouting.DEFAULT,
                Optional.empty(), Optional.empty());
    }

    @Test
    void everyProxyGetsTheSameRetriesAndPerTryTimeoutInTheFaultsScenario(@TempDir Path dir) throws Exception {
        Optional<Failover> failover = BenchScenario.FAULTS.failover();

        String nginx = ProxyConfigs.nginx(dir, 18080, FLEET, true, 1000, failover, Optional.empty());
        String haproxy = ProxyConfigs.haproxy(18080, FLEET, true, 1000, failover, "/health", Optional.empty());
        String infergate = ProxyConfigs.infergate(18080, 18081, FLEET, "llama-3.1-8b-instruct", GatewayFlow.DEFAULT, GatewayRouting.DEFAULT,
                failover, Optional.empty());

        assertThat(nginx).contains("proxy_next_upstream error timeout http_500 http_502 http_503;",
                "proxy_next_upstream_tries 4;", "proxy_read_timeout 500ms;").doesNotContain("max_fails=0");
        assertThat(haproxy).contains("retries 3", "option redispatch 1", "retry-on all-retryable-errors",
                "timeout server 500ms", "option httpchk GET /health", "default-server inter 200ms fall 2 rise 2",
                "server a100-1 127.0.0.1:9001 check");
        assertThat(infergate).contains("retry: {max_attempts: 4, per_try_timeout_ms: 500}",
                "health: {probe_interval_ms: 200, probe_timeout_ms: 200}");
        Files.createDirectories(dir.resolve("tmp"));
        if (Executables.find("nginx").isPresent()) {
            Path conf = Files.writeString(dir.resolve("nginx.conf"), nginx);
            assertThat(check(dir, Executables.find("nginx").get().toString(), "-t", "-p", dir.toString(), "-c",
                    conf.toString(), "-e", dir.resolve("error.log").toString())).isZero();
        }
        if (Executables.find("haproxy").isPresent()) {
            Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), haproxy);
            assertThat(check(dir, Executables.find("haproxy").get().toString(), "-c", "-f", cfg.toString())).isZero();
        }
    }

    @Test
    void infergateNoPrefixSwitchesPrefixAffinityOffAndKeepsTheDefaultScheduler() {
        String yaml = ProxyConfigs.infergate(18080, 18081, FLEET, "llama-3.1-8b-instruct", GatewayFlow.DEFAULT,
                SystemKind.INFERGATE_NO_PREFIX.routing(), Optional.empty(), Optional.empty());

        assertThat(yaml).contains("routing: {prefix_affinity: false}\n").doesNotContain("retry:", "scheduler");
    }

    @Test
    void infergateLoadAwareAndInfergatePredictedPinTheSchedulerAndKeepEveryOtherDefault() {
        String loadAware = ProxyConfigs.infergate(18080, 18081, FLEET, "llama-3.1-8b-instruct", GatewayFlow.DEFAULT,
                SystemKind.ofLabel("infergate-load-aware").routing(), Optional.empty(), Optional.empty());
        String predicted = ProxyConfigs.infergate(18080, 18081, FLEET, "llama-3.1-8b-instruct", GatewayFlow.DEFAULT,
                SystemKind.ofLabel("infergate-predicted").routing(), Optional.empty(), Optional.empty());
        String defaults = ProxyConfigs.infergate(18080, 18081, FLEET, "llama-3.1-8b-instruct", GatewayFlow.DEFAULT,
                SystemKind.INFERGATE.routing(), Optional.empty(), Optional.empty());

        assertThat(loadAware).contains("routing: {scheduler: load-aware}\n");
        assertThat(predicted).contains("routing: {scheduler: predicted-latency}\n");
        assertThat(predicted.replace("routing: {scheduler: predicted-latency}\n", "")).isEqualTo(defaults);
        assertThat(List.of(SystemKind.INFERGATE_LOAD_AWARE, SystemKind.INFERGATE_PREDICTED)).allSatisfy(kind -> {
            assertThat(kind.isInfergate()).isTrue();
            assertThat(kind.tunedFailover()).isFalse();
            assertThat(kind.requiresApiKey()).isFalse();
        });
    }

    private static int check(Path dir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("check.log").toFile()).start();
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        return process.exitValue();
    }
}
