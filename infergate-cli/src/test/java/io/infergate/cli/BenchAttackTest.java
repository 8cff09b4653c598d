package io.infergate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.core.testing.RequiredTool;
import io.infergate.loadgen.bench.BenchOptions;
import io.infergate.loadgen.bench.BenchResults;
import io.infergate.loadgen.bench.BenchRunner;
import io.infergate.loadgen.bench.BenchScenario;
import io.infergate.loadgen.bench.EmulatorFleets;
import io.infergate.loadgen.bench.Executables;
import io.infergate.loadgen.bench.RatioTable;
import io.infergate.loadgen.bench.SystemKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The smoke run of {@code infergate bench --scenario attack --quick}: legitimate chat through infergate (in a
 * child JVM, default settings) and nginx, both serving TLS, quiet and then under each attack, with the
 * attacker's own counts; small numbers (50 idle and 50 slow connections, 1 000 resets a second).
 */
class BenchAttackTest {

    private static final List<String> PHASES = List.of("quiet", "idle-connections", "rapid-reset", "slow-headers");

    @Test
    @Timeout(120)
    void quickAttackBenchMeasuresEveryPhaseThroughInfergateAndNginx(@TempDir Path out) throws Exception {
        RequiredTool.present(Executables.find("nginx"), "nginx", "the attack bench smoke test");

        BenchResults results = BenchRunner.run(BenchOptions.builder(BenchScenario.ATTACK, out, EmulatorFleets::start)
                .quick(true).systems(List.of(SystemKind.INFERGATE, SystemKind.NGINX_LC)).build());

        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertThat(json.path("skipped").size()).as("skipped: %s", json.path("skipped")).isZero();
        for (String system : List.of("infergate", "nginx-lc")) {
            JsonNode attack = json.path("systems").path(system).path("attack");
            assertThat(attack.fieldNames()).toIterable().as(system).containsExactlyElementsOf(PHASES);
            for (String phase : PHASES) {
                assertThat(attack.path(phase).path("requests").asLong()).as("%s %s", system, phase).isPositive();
                assertThat(attack.path(phase).has("latency_p99_ms")).isTrue();
            }
            assertThat(attack.path("quiet").path("errors").asLong()).as(system + " quiet").isZero();
            assertThat(attack.path("quiet").path("attacker").isNull()).isTrue();
            // every idle connection was accepted by the kernel; a per-address limit may close some
            JsonNode idle = attack.path("idle-connections").path("attacker");
            assertThat(idle.path("opened").asLong()).as(system + " idle connections opened").isGreaterThanOrEqualTo(50);
            assertThat(idle.path("peak_held").asLong()).as(system + " idle connections held").isPositive();
            JsonNode flood = attack.path("rapid-reset").path("attacker");
            assertThat(flood.path("first_refusal").isNull()).as("%s: %s", system, flood.path("first_refusal")).isTrue();
            assertThat(flood.path("streams_reset").asLong()).as(system + " streams reset").isPositive();
            JsonNode slow = attack.path("slow-headers").path("attacker");
            // TLS handshakes still under way when the short phase ends (on a busy machine) are not counted as opened
            assertThat(slow.path("opened").asLong()).as(system + " slow connections opened").isPositive();
        }
        assertThat(json.path("systems").path("nginx-lc").path("attack").path("idle-connections").path("attacker")
                .path("peak_held").asLong()).as("nginx holds every idle connection").isEqualTo(50);
        assertThat(Files.readString(out.resolve("nginx-lc/nginx.conf"))).contains("ssl http2");
        assertThat(Files.readString(out.resolve("infergate/infergate.yaml"))).contains("tls: {cert:");
        assertThat(RatioTable.render(results)).contains("attack (targets", "rapid-reset", "p99 ÷ infergate",
                "attacker from 127.0.0.2");
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList()).isEmpty();
    }
}
