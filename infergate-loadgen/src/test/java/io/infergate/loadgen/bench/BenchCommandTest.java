package io.infergate.loadgen.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BenchCommandTest {

    @Test
    void anUnknownSystemIsAUsageErrorNamingTheKnownOnes(@TempDir Path out) {
        StringWriter err = new StringWriter();

        int exit = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err))
                .execute("--out", out.toString(), "--systems", "direct,envoy");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("system: 'envoy' (expected one of [direct, nginx-rr, nginx-lc, haproxy-rr, haproxy-lc, infergate, infergate-tuned, infergate-no-flow, infergate-no-prefix, infergate-load-aware, infergate-predicted, infergate-auth, infergate-redis])");
    }

    @Test
    void anUnknownScenarioIsAUsageError(@TempDir Path out) {
        StringWriter err = new StringWriter();

        int exit = new CommandLine(new BenchCommand()).setErr(new PrintWriter(err))
                .execute("--out", out.toString(), "--scenario", "diurnal");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("bench scenario: 'diurnal' (expected one of [steady, homogeneous, burst, overhead, streams, priority, faults, prefix, autoscale, attack])");
    }
}
