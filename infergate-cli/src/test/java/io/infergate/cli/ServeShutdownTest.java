package io.infergate.cli;

import io.infergate.emulator.EmulatorOptions;
import io.infergate.emulator.EmulatorServer;
import io.infergate.loadgen.bench.GatewayLaunch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code infergate serve} as an operator runs it, in child JVMs on the same ports: SIGTERM during a stream lets
 * the stream finish and the process exit 0, a second signal stops it at once, and a second gateway started on the same port (SO_REUSEPORT)
 * takes over from the first, drained by SIGTERM, without a single failed request.
 */
class ServeShutdownTest {

    private static final String MODEL = "llama-3.1-8b-instruct";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private EmulatorServer emulator;
    private final List<Process> gateways = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private Path config;
    private int port;
    private int adminPort;

    @BeforeEach
    void start() throws IOException {
        // A token every 50 ms.
        emulator = EmulatorServer.start(EmulatorOptions.builder().host("127.0.0.1").port(0).speed(1)
                .decodeStepMillis(50).models(List.of(MODEL)).build());
        try (ServerSocket data = new ServerSocket(0); ServerSocket admin = new ServerSocket(0)) {
            port = data.getLocalPort();
            adminPort = admin.getLocalPort();
        }
        config = dir.resolve("infergate.yaml");
        Files.writeString(config, """
                listen: {host: 127.0.0.1, port: %d, admin_port: %d}
                shutdown: {grace_ms: 500, drain_timeout_ms: 5000}
                pools:
                  - name: chat
                    models: [%s]
                    endpoints: [{url: "%s"}]
                """.formatted(port, adminPort, MODEL, emulator.url()));
    }

    @AfterEach
    void stop() {
        gateways.forEach(Process::destroyForcibly);
        emulator.close();
        http.shutdownNow();
    }

    @Test
    void sigtermDuringAStreamLetsItFinishThenExitsZero() throws Exception {
        Process gateway = serve("a");
        Iterator<String> stream = http.send(chat(40, true), HttpResponse.BodyHandlers.ofLines()).body().iterator();
        String first = nextEvent(stream);

        gateway.destroy();   // SIGTERM
        List<String> events = new ArrayList<>(List.of(first));
        stream.forEachRemaining(line -> {
            if (line.startsWith("data: ")) {
                events.add(line);
            }
        });

        assertThat(events.getLast()).isEqualTo("data: [DONE]");
        assertThat(events).noneMatch(event -> event.contains("\"error\""));
        assertThat(gateway.waitFor(10, TimeUnit.SECONDS)).as("exited").isTrue();
        assertThat(gateway.exitValue()).as("exit status; log:\n%s", log("a")).isZero();
        assertThat(log("a")).contains("SIGTERM: draining").contains("stopped");
    }

    @Test
    void aSecondSignalStopsAtOnceWithoutWaitingForTheDrain() throws Exception {
        Process gateway = serve("a");
        Iterator<String> stream = http.send(chat(400, true), HttpResponse.BodyHandlers.ofLines()).body().iterator();
        nextEvent(stream);

        gateway.destroy();   // SIGTERM: a drain of up to 5 s for a 20 s stream
        while (!log("a").contains("SIGTERM: draining")) {
            Thread.sleep(20);
        }
        long second = System.nanoTime();
        gateway.destroy();

        assertThat(gateway.waitFor(3, TimeUnit.SECONDS)).as("exited soon after the second signal").isTrue();
        assertThat((System.nanoTime() - second) / 1_000_000).as("ms after the second signal").isLessThan(2000L);
        assertThat(gateway.exitValue()).isEqualTo(1);
        assertThat(log("a")).contains("SIGTERM again: stopping at once");
    }

    @Test
    void aRollingRestartOnTheSamePortUnderLoadFailsNoRequest() throws Exception {
        Process old = serve("old");
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger succeeded = new AtomicInteger();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ExecutorService load = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4; i++) {
            boolean stream = i == 0;
            load.execute(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> response = http.send(chat(4, stream), HttpResponse.BodyHandlers.ofString());
                        if (response.statusCode() == 200 && (!stream || response.body().contains("data: [DONE]"))) {
                            succeeded.incrementAndGet();
                        } else {
                            failures.add(response.statusCode() + " " + response.body());
                        }
                    } catch (IOException e) {
                        failures.add(e.toString());
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
        awaitSucceeded(succeeded, 20);

        Process next = serve("new");
        int beforeSignal = succeeded.get();
        old.destroy();   // SIGTERM
        assertThat(old.waitFor(15, TimeUnit.SECONDS)).as("old gateway exited").isTrue();
        awaitSucceeded(succeeded, succeeded.get() + 20);
        running.set(false);
        load.shutdown();
        assertThat(load.awaitTermination(10, TimeUnit.SECONDS)).isTrue();

        assertThat(failures).as("failed requests").isEmpty();
        assertThat(old.exitValue()).as("old gateway's exit status; log:\n%s", log("old")).isZero();
        assertThat(succeeded.get()).isGreaterThan(beforeSignal + 20);
        assertThat(servedInferenceRequests()).as("requests the new gateway served").isPositive();
        next.destroy();
        assertThat(next.waitFor(15, TimeUnit.SECONDS)).isTrue();
        assertThat(next.exitValue()).isZero();
    }

    /** Starts {@code infergate serve} on the shared config in a child JVM and waits until it listens. */
    private Process serve(String name) throws Exception {
        List<String> command = new ArrayList<>(GatewayLaunch.fromThisJvm().command(config));
        // Starts faster on a busy machine; the gateway's speed is not under test.
        command.addAll(1, List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
        gateways.add(process);
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!log(name).contains("infergate gateway: data plane")) {
            assertThat(process.isAlive()).as("%s is running; log:\n%s", name, log(name)).isTrue();
            assertThat(System.nanoTime()).as("%s started in time; log:\n%s", name, log(name)).isLessThan(deadline);
            Thread.sleep(50);
        }
        return process;
    }

    private String log(String name) throws IOException {
        Path log = dir.resolve(name + ".log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    /** The inference requests the gateway on the admin port has served, from its metrics. */
    private long servedInferenceRequests() throws Exception {
        String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adminPort + "/metrics"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher count = Pattern.compile("infergate_request_duration_seconds_count\\{[^}]*outcome=\"success\"[^}]*} (\\d+)")
                .matcher(metrics);
        long served = 0;
        while (count.find()) {
            served += Long.parseLong(count.group(1));
        }
        return served;
    }

    private HttpRequest chat(int maxTokens, boolean stream) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + MODEL + "\",\"max_tokens\":" + maxTokens
                        + ",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
    }

    private static String nextEvent(Iterator<String> stream) {
        while (stream.hasNext()) {
            String line = stream.next();
            if (line.startsWith("data: ")) {
                return line;
            }
        }
        throw new AssertionError("the stream ended before its first event");
    }

    private static void awaitSucceeded(AtomicInteger succeeded, int atLeast) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (succeeded.get() < atLeast) {
            assertThat(System.nanoTime()).as("%d requests succeeded in time", atLeast).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
