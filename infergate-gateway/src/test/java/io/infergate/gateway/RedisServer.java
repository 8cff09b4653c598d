package io.infergate.gateway;

import io.infergate.core.testing.RequiredTool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * A real {@code redis-server} on a free loopback port, with a temporary directory and no persistence,
 * for tests; {@link #stop()} and {@link #start()} again keep the port.
 */
final class RedisServer implements AutoCloseable {

    private static final List<Path> SEARCHED = List.of(Path.of("/usr/bin/redis-server"),
            Path.of("/usr/local/bin/redis-server"), Path.of("/usr/sbin/redis-server"));

    private final Path binary;
    private final Path directory;
    private final int port;
    private Process process;

    private RedisServer(Path binary) throws IOException {
        this.binary = binary;
        this.directory = Files.createTempDirectory("infergate-redis");
        try (ServerSocket socket = new ServerSocket(0)) {
            this.port = socket.getLocalPort();
        }
    }

    /** The redis-server binary on the PATH or in the usual places; empty when it is not installed. */
    static Optional<Path> binary() {
        Stream<Path> onPath = Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .filter(dir -> !dir.isBlank()).map(dir -> Path.of(dir, "redis-server"));
        return Stream.concat(onPath, SEARCHED.stream()).filter(Files::isExecutable).findFirst();
    }

    /** The redis-server binary; when it is not installed, skips the calling tests (fails them under CI), naming {@code what} they check. */
    static Path required(String what) {
        return RequiredTool.present(binary(), "redis-server", "the " + what + " tests");
    }

    static RedisServer start(Path binary) throws IOException {
        RedisServer server = new RedisServer(binary);
        server.start();
        return server;
    }

    void start() {
        try {
            process = new ProcessBuilder(binary.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--dir", directory.toString(), "--save", "", "--appendonly", "no")
                    .redirectErrorStream(true).redirectOutput(directory.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.onSpinWait();
            }
        }
        throw new IllegalStateException("redis-server did not listen on port " + port + " within 10 s");
    }

    void stop() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    String url() {
        return "redis://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        if (process != null && process.isAlive()) {
            stop();
        }
    }
}
