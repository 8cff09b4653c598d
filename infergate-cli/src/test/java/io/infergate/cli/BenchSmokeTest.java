package io.infergate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.loadgen.bench.BenchOptions;
import io.infergate.loadgen.bench.BenchRunner;
import io.infergate.loadgen.bench.BenchScenario;
import io.infergate.loadgen.bench.EmulatorFleets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI smoke run of {@code infergate bench --quick --scenario steady}: one emulated fleet, the same
 * traffic through direct, nginx, HAProxy (when installed; .ci/run installs them) and infergate in a child
 * JVM, and the result files a user reads.
 */
class BenchSmokeTest {

    private static final List<String> CLASS_FIELDS = List.of("requests", "errors", "throughput_rps", "goodput_rps",
            "ttft_p50_ms", "ttft_p99_ms", "latency_p50_ms", "latency_p99_ms");

    @Test
    void quickSteadyBenchComparesEverySystemInOneRun(@TempDir Path out) throws Exception {
        BenchRunner.run(BenchOptions.builder(BenchScenario.STEADY, out, EmulatorFleets::start).quick(true).build());

        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(results.path("scenario").asText()).isEqualTo("steady");
        JsonNode systems = results.path("systems");
        assertThat(systems.has("direct")).isTrue();
        assertThat(systems.has("infergate")).as("infergate ran (skipped: %s)", results.path("skipped")).isTrue();
        for (String proxy : List.of("nginx-rr", "nginx-lc", "haproxy-rr", "haproxy-lc")) {
            boolean installed = Files.isExecutable(Path.of(proxy.startsWith("nginx") ? "/usr/sbin/nginx" : "/usr/sbin/haproxy"));
            assertThat(systems.has(proxy) || (!installed && results.path("skipped").has(proxy)))
                    .as("%s ran, or was skipped because it is not installed", proxy).isTrue();
        }
        systems.fields().forEachRemaining(system -> {
            JsonNode classes = system.getValue().path("classes");
            assertThat(classes.size()).as(system.getKey()).isPositive();
            classes.fields().forEachRemaining(c -> {
                CLASS_FIELDS.forEach(field -> assertThat(c.getValue().has(field))
                        .as("%s.%s.%s", system.getKey(), c.getKey(), field).isTrue());
                assertThat(c.getValue().path("requests").asLong()).isPositive();
            });
        });
        long sent = 0;
        long errors = 0;
        for (JsonNode c : systems.path("infergate").path("classes")) {
            sent += c.path("requests").asLong();
            errors += c.path("errors").asLong();
        }
        assertThat(errors).as("infergate errors out of %d requests", sent).isLessThan(sent / 2);
        assertThat(Files.readString(out.resolve("report.html"))).contains("<svg").contains("infergate");
    }
}
