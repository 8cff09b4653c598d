package io.infergate.gateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class CheckConfigCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int checkConfig(String... args) {
        CommandLine cli = new CommandLine(new CheckConfigCommand());
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void validFileIsSummarisedAndExitsZero() {
        int exit = checkConfig("../examples/infergate.yaml");

        assertThat(exit).isZero();
        assertThat(out.toString()).isEqualTo("../examples/infergate.yaml: OK (2 pools, 5 endpoints, "
                + "models: efficientnet-b0, llama-3.1-8b-instruct, resnet50)" + System.lineSeparator());
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void invalidFilePrintsEveryErrorOnStderrAndExitsTwo() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.yaml"), """
                listen: {port: 99999}
                pools:
                  - name: chat
                    models: [llama]
                    endpoints: [{url: http://127.0.0.1:8000, capacity: spot}]
                """);

        int exit = checkConfig(file.toString());

        assertThat(exit).isEqualTo(CheckConfigCommand.INVALID).isEqualTo(2);
        assertThat(out.toString()).isEmpty();
        assertThat(err.toString().lines()).containsExactly(
                file + ":1:16: listen.port: expected a number from 0 to 65535, found 99999",
                file + ":5:56: pools[0].endpoints[0].capacity: expected one of dedicated, preemptible, found 'spot'");
    }

    @Test
    void missingFileIsReportedAndExitsTwo() {
        Path missing = dir.resolve("missing.yaml");

        int exit = checkConfig(missing.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).isEqualTo(missing + ": no such file" + System.lineSeparator());
    }
}
