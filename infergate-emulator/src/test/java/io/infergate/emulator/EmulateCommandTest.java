package io.infergate.emulator;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class EmulateCommandTest {

    @Test
    void servesUntilStoppedAndSaysWhere() throws Exception {
        EmulateCommand command = new EmulateCommand();
        StringWriter output = new StringWriter();
        CommandLine cli = new CommandLine(command).setOut(new PrintWriter(output, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute("--port", "0",
                "--profile", "instant", "--model", "a", "--model", "b", "--max-num-seqs", "8", "--error-rate", "0"));

        URI url = awaitUrl(output);
        assertThat(TestHttp.get(url, "/health").statusCode()).isEqualTo(200);
        assertThat(TestHttp.get(url, "/v1/models").body()).contains("\"id\":\"a\"", "\"id\":\"b\"");
        assertThat(output.toString()).contains("profile instant", "max-num-seqs 8");

        command.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void speaksTheFlavourAskedForWithDcgmFigures() throws Exception {
        EmulateCommand command = new EmulateCommand();
        StringWriter output = new StringWriter();
        CommandLine cli = new CommandLine(command).setOut(new PrintWriter(output, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute("--port", "0",
                "--profile", "instant", "--flavor", "triton", "--dcgm", "--prefix-caching"));

        URI url = awaitUrl(output);
        assertThat(TestHttp.get(url, "/v2/health/ready").statusCode()).isEqualTo(200);
        assertThat(TestHttp.get(url, "/metrics").body()).contains("nv_gpu_utilization{", "DCGM_FI_DEV_GPU_UTIL{");
        assertThat(output.toString()).contains("triton flavour");

        command.stop();

        assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
    }

    @Test
    void rejectsAnUnknownFlavourNamingTheKnownOnes() {
        StringWriter errors = new StringWriter();

        int exit = new CommandLine(new EmulateCommand()).setErr(new PrintWriter(errors, true))
                .execute("--port", "0", "--flavor", "ollama");

        assertThat(exit).isNotZero();
        assertThat(errors.toString()).contains("flavor: ollama (expected one of: vllm, sglang, tgi, triton)");
    }

    @Test
    void listsTheProfiles() {
        StringWriter output = new StringWriter();

        int exit = new CommandLine(new EmulateCommand()).setOut(new PrintWriter(output, true)).execute("--list-profiles");

        assertThat(exit).isZero();
        assertThat(output.toString()).contains("a100-llama3-8b", "l4-llama3-8b", "instant");
    }

    @Test
    void rejectsAnUnknownProfileNamingTheKnownOnes() {
        StringWriter errors = new StringWriter();

        int exit = new CommandLine(new EmulateCommand()).setErr(new PrintWriter(errors, true))
                .execute("--port", "0", "--profile", "tpu-v9");

        assertThat(exit).isNotZero();
        assertThat(errors.toString()).contains("profile: tpu-v9 (expected one of: a100-llama3-8b");
    }

    private static URI awaitUrl(StringWriter output) throws InterruptedException {
        Pattern listening = Pattern.compile("listening on (http://\\S+)");
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline) {
            Matcher m = listening.matcher(output.toString());
            if (m.find()) {
                return URI.create(m.group(1));
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no 'listening on' line within 10 s; output: " + output);
    }
}
