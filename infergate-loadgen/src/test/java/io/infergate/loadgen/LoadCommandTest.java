package io.infergate.loadgen;

import io.infergate.loadgen.TestInferenceServer.Behaviour;
import io.infergate.loadgen.scenario.BuiltInScenarios;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class LoadCommandTest {

    @Test
    void runsABuiltInScenarioAgainstTheTargetAndWritesTheReports(@TempDir Path dir) {
        try (TestInferenceServer server = TestInferenceServer.start(Map.of(BuiltInScenarios.MODEL, new Behaviour.Answer(1)))) {
            int exit = new CommandLine(new LoadCommand()).execute("--target", server.url().toString(),
                    "--scenario", "overhead", "--rate", "50", "--duration", "1s", "--out", dir.toString(), "--quiet");

            assertThat(exit).isZero();
            assertThat(server.arrivals()).hasSize(50);
            assertThat(dir.resolve("report.json")).isNotEmptyFile();
            assertThat(dir.resolve("report.html")).isNotEmptyFile();
        }
    }

    @Test
    void aMissingTargetIsAUsageErrorThatSaysWhatIsExpected() {
        StringWriter err = new StringWriter();
        CommandLine cmd = new CommandLine(new LoadCommand()).setErr(new PrintWriter(err));

        int exit = cmd.execute("--scenario", "steady");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--target: missing (expected: the URL to send to");
    }

    @Test
    void commandLineOptionsOverrideTheScenario() {
        LoadCommand command = new LoadCommand();
        new CommandLine(command).parseArgs("--target", "http://127.0.0.1:9", "--scenario", "burst", "--rate", "3",
                "--duration", "90s", "--requests", "12", "--max-in-flight", "7", "--seed", "5");

        var scenario = command.configuredScenario();

        assertThat(scenario.arrival().profile().rateAt(0)).isEqualTo(3);
        assertThat(scenario.arrival().profile().rateAt(55)).isEqualTo(15);
        assertThat(scenario.duration()).hasSeconds(90);
        assertThat(scenario.maxRequests()).isEqualTo(12);
        assertThat(scenario.maxInFlight()).isEqualTo(7);
        assertThat(scenario.seed()).isEqualTo(5);
    }
}
