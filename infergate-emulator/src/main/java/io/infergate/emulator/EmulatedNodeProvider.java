package io.infergate.emulator;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.scale.NodeProvider;
import io.infergate.core.scale.NodeSpec;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The {@code emulated} node provider: each node is an in-process {@link EmulatorServer} that becomes
 * ready a realistic start-up delay after it is asked for (drawn uniformly between a minimum and a
 * maximum, 10–60 s by default, divided by the speed factor like every other emulated time). It can
 * also play a cloud taking a preemptible node back: {@link #preempt} sends the notice, then the server
 * vanishes when the notice runs out, cutting whatever it was serving.
 *
 * <pre>{@code
 * EmulatorOptions template = EmulatorOptions.builder().speed(10).dcgm(true).build();
 * try (EmulatedNodeProvider provider = new EmulatedNodeProvider(template,
 *         Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30), 42)) {
 *     Endpoint node = provider.start(spec).toCompletableFuture().join();   // 1–6 s later at speed 10
 *     provider.stop(node);
 * }
 * }</pre>
 */
public final class EmulatedNodeProvider implements NodeProvider {

    private final EmulatorOptions template;
    private final Duration startupMin;
    private final Duration startupMax;
    private final Duration preemptionNotice;
    private final SplittableRandom random;
    private final ScheduledExecutorService executor;
    private final Map<String, EmulatorServer> servers = new ConcurrentHashMap<>();
    private final List<Consumer<String>> preemptionListeners = new CopyOnWriteArrayList<>();

    /**
     * @param template         options every node's server starts with (speed, profile, flavour); port and
     *                         models are set per node
     * @param startupMin       shortest start-up delay, in full-scale time
     * @param startupMax       longest start-up delay, in full-scale time
     * @param preemptionNotice how long a preempted node keeps running after its notice, in full-scale time
     * @param seed             seed of the start-up delays
     */
    public EmulatedNodeProvider(EmulatorOptions template, Duration startupMin, Duration startupMax,
                                Duration preemptionNotice, long seed) {
        this.template = Objects.requireNonNull(template, "template");
        if (startupMin.isNegative() || startupMax.compareTo(startupMin) < 0) {
            throw new IllegalArgumentException("startup delay: " + startupMin + ".." + startupMax
                    + " (expected: 0 <= min <= max)");
        }
        if (preemptionNotice.isNegative()) {
            throw new IllegalArgumentException("preemptionNotice: " + preemptionNotice + " (expected: >= 0)");
        }
        this.startupMin = startupMin;
        this.startupMax = startupMax;
        this.preemptionNotice = preemptionNotice;
        this.random = new SplittableRandom(seed);
        this.executor = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("emulated-nodes").factory());
    }

    @Override
    public CompletionStage<Endpoint> start(NodeSpec spec) {
        CompletableFuture<Endpoint> ready = new CompletableFuture<>();
        executor.schedule(() -> {
            try {
                EmulatorServer server = EmulatorServer.start(template.withPort(0).withModels(List.copyOf(spec.models())));
                servers.put(spec.id(), server);
                ready.complete(Endpoint.builder(spec.id(), server.url())
                        .pool(spec.pool()).serverType(template.flavor().configName()).models(spec.models())
                        .region(spec.region()).capacity(spec.capacity()).pricePerHour(spec.pricePerHour())
                        .build());
            } catch (RuntimeException e) {
                ready.completeExceptionally(e);
            }
        }, scaled(nextStartupDelay()), TimeUnit.NANOSECONDS);
        return ready;
    }

    @Override
    public CompletionStage<Void> stop(Endpoint endpoint) {
        return CompletableFuture.runAsync(() -> closeServer(endpoint.id()), executor);
    }

    @Override
    public void onPreemption(Consumer<String> listener) {
        preemptionListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Takes a node back as a cloud does a preemptible one: tells the listeners now, and stops its server
     * (cutting open requests) once the notice has run out. The stage completes when the server is gone.
     *
     * @throws IllegalArgumentException when no running node has that id
     */
    public CompletionStage<Void> preempt(String nodeId) {
        if (!servers.containsKey(nodeId)) {
            throw new IllegalArgumentException("node: " + nodeId + " (expected: one of " + servers.keySet() + ")");
        }
        preemptionListeners.forEach(listener -> listener.accept(nodeId));
        CompletableFuture<Void> gone = new CompletableFuture<>();
        executor.schedule(() -> {
            closeServer(nodeId);
            gone.complete(null);
        }, scaled(preemptionNotice.toNanos()), TimeUnit.NANOSECONDS);
        return gone;
    }

    /** The server of a running node, to inspect or inject faults; empty when there is none. */
    public Optional<EmulatorServer> server(String nodeId) {
        return Optional.ofNullable(servers.get(nodeId));
    }

    @Override
    public void close() {
        executor.shutdownNow();
        servers.keySet().forEach(this::closeServer);
    }

    private void closeServer(String nodeId) {
        EmulatorServer server = servers.remove(nodeId);
        if (server != null) {
            server.close();
        }
    }

    private synchronized long nextStartupDelay() {
        long min = startupMin.toNanos();
        long max = startupMax.toNanos();
        return max == min ? min : min + random.nextLong(max - min + 1);
    }

    private long scaled(long fullScaleNanos) {
        return (long) (fullScaleNanos / template.speed());
    }
}
