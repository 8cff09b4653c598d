package io.infergate.loadgen.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A process the bench started (nginx, HAProxy, the gateway's JVM), with its output in a log file. It is
 * always stopped: by {@link #close()}, and, should the bench JVM exit first, by a shutdown hook that
 * stops every child still alive, descendants included.
 *
 * <pre>{@code
 * try (ChildProcess nginx = ChildProcess.start("nginx-rr", List.of("nginx", "-p", dir, ...), dir.resolve("nginx.log"))) {
 *     nginx.awaitPort(port, Duration.ofSeconds(15));
 * }
 * }</pre>
 */
public final class ChildProcess implements AutoCloseable {

    private static final Set<ChildProcess> LIVE = ConcurrentHashMap.newKeySet();
    private static final AtomicBoolean HOOK_INSTALLED = new AtomicBoolean();

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /** Starts {@code command} with stdout and stderr going to {@code log}. */
    public static ChildProcess start(String name, List<String> command, Path log) {
        if (HOOK_INSTALLED.compareAndSet(false, true)) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(ChildProcess::close),
                    "bench-children-shutdown"));
        }
        BenchFiles.createDirectories(log.toAbsolutePath().getParent());
        try {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            ChildProcess child = new ChildProcess(name, process, log);
            LIVE.add(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException(name + ": cannot start " + command + " (" + e.getMessage() + ")", e);
        }
    }

    public String name() {
        return name;
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Waits until something accepts connections on the loopback {@code port}. */
    public void awaitPort(int port, Duration timeout) {
        awaitReady(() -> accepts(port), "accept connections on 127.0.0.1:" + port, timeout);
    }

    /**
     * Waits until {@code ready} holds, polling every 50 ms; fails at once, with the end of the log, if the
     * process exits, and after {@code timeout} if it never gets ready.
     */
    public void awaitReady(BooleanSupplier ready, String what, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!ready.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + ": exited with status " + process.exitValue()
                        + " before it was ready to " + what + "; end of " + log + ":\n" + logTail());
            }
            if (System.nanoTime() > deadline) {
                close();
                throw new IllegalStateException(name + ": not ready to " + what + " after " + timeout.toSeconds()
                        + " s; end of " + log + ":\n" + logTail());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new IllegalStateException(name + ": interrupted while waiting for it to " + what, e);
            }
        }
    }

    /** The last lines of the log, for error messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(cannot read " + log + ": " + e.getMessage() + ")";
        }
    }

    /** Stops the process and its descendants: politely, then by force after 5 s. */
    @Override
    public void close() {
        LIVE.remove(this);
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroy();
        descendants.forEach(ProcessHandle::destroy);
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
