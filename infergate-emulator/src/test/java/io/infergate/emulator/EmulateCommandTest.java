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
        Running running = run("--port", "0", "--profile", "instant", "--model", "a", "--model", "b",
                "--max-num-seqs", "8", "--error-rate", "0");

        assertThat(TestHttp.get(running.url(), "/health").statusCode()).isEqualTo(200);
        assertThat(TestHttp.get(running.url(), "/v1/models").body()).contains("\"id\":\"a\"", "\"id\":\"b\"");
        assertThat(running.output().toString()).contains("profile instant", "max-num-seqs 8");

        assertThat(running.stop()).isZero();
    }

    @Test
    void speaksTheFlavourAskedForWithDcgmFigures() throws Exception {
        Running running = run("--port", "0", "--profile", "instant", "--flavor", "triton", "--dcgm", "--prefix-caching");

        assertThat(TestHttp.get(running.url(), "/v2/health/ready").statusCode()).isEqualTo(200);
        assertThat(TestHttp.get(running.url(), "/metrics").body()).contains("nv_gpu_utilization{", "DCGM_FI_DEV_GPU_UTIL{");
        assertThat(running.output().toString()).contains("triton flavour");

        assertThat(running.stop()).isZero();
    }

    @Test
    void rejectsAnUnknownFlavourNamingTheKnownOnes() {
        assertThat(rejected("--port", "0", "--flavor", "ollama"))
                .contains("flavor: ollama (expected one of: vllm, sglang, tgi, triton)");
    }

    @Test
    void schedulesByTheRequestsPriorityWhenAsked() throws Exception {
        Running running = run("--port", "0", "--profile", "instant", "--scheduling-policy", "priority");

        assertThat(TestHttp.post(running.url(), "/v1/chat/completions",
                TestHttp.chat("llama-3.1-8b-instruct", "hi", false, "\"max_tokens\":1,\"priority\":3")).statusCode())
                .isEqualTo(200);
        assertThat(running.output().toString()).contains("scheduling policy priority");

        assertThat(running.stop()).isZero();
    }

    @Test
    void rejectsAnUnknownSchedulingPolicy() {
        assertThat(rejected("--port", "0", "--scheduling-policy", "lifo"))
                .contains("scheduling policy: lifo (expected: fcfs or priority)");
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
        assertThat(rejected("--port", "0", "--profile", "tpu-v9")).contains("profile: tpu-v9 (expected one of: a100-llama3-8b");
    }

    /** Runs the command with bad arguments: it must exit non-zero; returns what it printed on stderr. */
    private static String rejected(String... args) {
        StringWriter errors = new StringWriter();
        int exit = new CommandLine(new EmulateCommand()).setErr(new PrintWriter(errors, true)).execute(args);
        assertThat(exit).as("exit code").isNotZero();
        return errors.toString();
    }

    /** A command running on another thread, once it says where it listens. */
    private record Running(EmulateCommand command, StringWriter output, CompletableFuture<Integer> exit, URI url) {

        /** Stops it the way Ctrl-C does and returns its exit code. */
        int stop() throws Exception {
            command.stop();
            return exit.get(10, TimeUnit.SECONDS);
        }
    }

    private static Running run(String... args) throws InterruptedException {
        EmulateCommand command = new EmulateCommand();
        StringWriter output = new StringWriter();
        CommandLine cli = new CommandLine(command).setOut(new PrintWriter(output, true));
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> cli.execute(args));
        return new Running(command, output, exit, awaitUrl(output));
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
