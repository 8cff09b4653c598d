package io.infergate.loadgen.bench;

import io.infergate.core.testing.RequiredTool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(120)
class BenchRunnerTest {

    private static final List<String> CLASS_FIELDS = List.of("requests", "errors", "throughput_rps", "goodput_rps",
            "ttft_p50_ms", "ttft_p99_ms", "latency_p50_ms", "latency_p99_ms");

    @Test
    void writesResultsInTheRequiredShapeForDirect(@TempDir Path out) throws Exception {
        BenchResults results = BenchRunner.run(BenchOptions.builder(BenchScenario.STEADY, out, TestFleet::start)
                .quick(true).systems(List.of(SystemKind.DIRECT, SystemKind.INFERGATE)).silent().build());

        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(json.path("scenario").asText()).isEqualTo("steady");
        JsonNode classes = json.path("systems").path("direct").path("classes");
        assertThat(classes.size()).isEqualTo(3);
        for (JsonNode c : classes) {
            for (String field : CLASS_FIELDS) {
                assertThat(c.has(field)).as(field).isTrue();
            }
        }
        JsonNode chat = classes.path("chat-short");
        assertThat(chat.path("requests").asLong()).isPositive();
        assertThat(chat.path("errors").asLong()).isZero();
        assertThat(chat.path("ttft_p50_ms").asDouble()).isBetween(15.0, 200.0);
        assertThat(json.path("systems").path("direct").has("proxy")).as("steady measures no proxy").isFalse();
        // the gateway is not on this module's class path: skipped, with the reason
        assertThat(json.path("skipped").path("infergate").asText()).contains("io.infergate.cli.Main is not on the class path");
        assertThat(results.systems()).hasSize(1);
        assertThat(Files.readString(out.resolve("report.html"))).contains("<svg id=\"chart-latency-p99\"");
        assertThat(out.resolve("direct/report.json")).isNotEmptyFile();
    }

    @Test
    void comparesNginxAndHaproxyWithDirectAndStopsThemAfterwards(@TempDir Path out) throws Exception {
        RequiredTool.present(Executables.find("nginx"), "nginx", "the nginx bench smoke test");
        RequiredTool.present(Executables.find("haproxy"), "haproxy", "the HAProxy bench smoke test");

        BenchResults results = BenchRunner.run(BenchOptions.builder(BenchScenario.STEADY, out, TestFleet::start)
                .quick(true).systems(List.of(SystemKind.DIRECT, SystemKind.NGINX_LC, SystemKind.HAPROXY_RR)).silent().build());

        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        for (String system : List.of("direct", "nginx-lc", "haproxy-rr")) {
            JsonNode chat = json.path("systems").path(system).path("classes").path("chat-short");
            assertThat(chat.path("requests").asLong()).as(system).isPositive();
            assertThat(chat.path("errors").asLong()).as(system).isZero();
        }
        assertThat(Files.readString(out.resolve("nginx-lc/nginx.conf"))).contains("least_conn;", "proxy_buffering off;");
        assertThat(Files.readString(out.resolve("haproxy-rr/haproxy.cfg"))).contains("balance roundrobin");
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
        assertThat(RatioTable.render(results)).contains("nginx-lc", "haproxy-rr", "ratios are system ÷ direct");
    }

    @Test
    void theOverheadScenarioAddsEachProxysCostAndNullForDirect(@TempDir Path out) throws Exception {
        RequiredTool.present(Executables.find("haproxy"), "haproxy", "the overhead bench smoke test");
        RequiredTool.require(ProcessUsage.available(), "/proc", "the overhead bench smoke test");

        BenchRunner.run(BenchOptions.builder(BenchScenario.OVERHEAD, out, TestFleet::start)
                .quick(true).systems(List.of(SystemKind.DIRECT, SystemKind.HAPROXY_RR)).silent().build());

        JsonNode systems = new ObjectMapper().readTree(out.resolve("results.json").toFile()).path("systems");
        assertThat(systems.path("direct").path("proxy").isNull()).isTrue();
        JsonNode proxy = systems.path("haproxy-rr").path("proxy");
        assertThat(proxy.path("cpu_us_per_request").asDouble()).isPositive();
        assertThat(proxy.path("rss_mb").asDouble()).isPositive();
        assertThat(proxy.has("max_rps")).isTrue();
        assertThat(Files.readString(out.resolve("report.html"))).contains("<svg id=\"chart-proxy-cpu\"");
    }
}
