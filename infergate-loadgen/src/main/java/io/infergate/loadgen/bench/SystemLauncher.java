package io.infergate.loadgen.bench;

import io.infergate.emulator.Flavor;
import io.infergate.loadgen.scenario.BuiltInScenarios;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Starts each system of a bench in front of a fleet: writes its config into its own directory under the
 * output directory, starts it on a free loopback port (pinned to one core with {@code taskset} when
 * there is more than one), and waits until it answers.
 *
 * <pre>{@code
 * SystemLauncher launcher = new SystemLauncher(outDir, GatewayLaunch.fromThisJvm(), kind -> GatewayFlow.DEFAULT, Optional.empty(), "",
 *         Optional.empty());
 * launcher.unavailable(SystemKind.NGINX_RR).ifPresent(why -> System.err.println("skipped: " + why));
 * try (RunningSystem nginx = launcher.start(SystemKind.NGINX_RR, fleet, 10_000)) { ... }
 * }</pre>
 */
public final class SystemLauncher {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path outDir;
    private final GatewayLaunch gateway;
    private final Function<SystemKind, GatewayFlow> flows;
    private final Optional<Failover> failover;
    private final List<String> pinning;
    private final String gatewayExtraYaml;
    private final Optional<BenchCertificate> tls;

    /**
     * @param flows    each infergate system's flow control settings ({@link BenchScenario#gatewayFlow})
     * @param failover the retries and health checks nginx, HAProxy and {@code infergate-tuned} get; without,
     *                 each keeps the bench's plain settings (no passive ejection in nginx, no checks in
     *                 HAProxy); every other infergate system keeps the gateway's defaults either way
     * @param gatewayExtraYaml top-level sections appended to infergate's config, e.g. {@code autoscaler:}
     * @param tls      the certificate every proxy serves TLS with on its data port ({@code https} targets);
     *                 without, cleartext
     */
    public SystemLauncher(Path outDir, GatewayLaunch gateway, Function<SystemKind, GatewayFlow> flows,
                          Optional<Failover> failover,
                          String gatewayExtraYaml, Optional<BenchCertificate> tls) {
        this.gatewayExtraYaml = Objects.requireNonNull(gatewayExtraYaml, "gatewayExtraYaml");
        this.tls = Objects.requireNonNull(tls, "tls");
        this.outDir = Objects.requireNonNull(outDir, "outDir");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.flows = Objects.requireNonNull(flows, "flows");
        this.failover = Objects.requireNonNull(failover, "failover");
        int cores = Runtime.getRuntime().availableProcessors();
        this.pinning = cores > 1 ? Executables.find("taskset")
                .map(taskset -> List.of(taskset.toString(), "-c", String.valueOf(cores - 1)))
                .orElse(List.of()) : List.of();
    }

    /** The core the proxies are pinned to, e.g. {@code core 1}, or why they are not pinned. */
    public String pinningDescription() {
        return pinning.isEmpty() ? "not pinned (one core, or no taskset)" : "pinned to core " + pinning.getLast();
    }

    /** Why {@code kind} cannot run here, or empty when it can. */
    public Optional<String> unavailable(SystemKind kind) {
        return switch (kind) {
            case DIRECT -> Optional.empty();
            case NGINX_RR, NGINX_LC -> Executables.find("nginx").isPresent() ? Optional.empty()
                    : Optional.of("nginx not found in /usr/sbin or on the PATH (Debian: apt-get install nginx)");
            case HAPROXY_RR, HAPROXY_LC -> Executables.find("haproxy").isPresent() ? Optional.empty()
                    : Optional.of("haproxy not found in /usr/sbin or on the PATH (Debian: apt-get install haproxy)");
            case INFERGATE, INFERGATE_TUNED, INFERGATE_NO_FLOW, INFERGATE_NO_PREFIX, INFERGATE_LOAD_AWARE,
                 INFERGATE_PREDICTED, INFERGATE_AUTH -> gateway.unavailable();
            case INFERGATE_REDIS -> gateway.unavailable().or(() -> Executables.find("redis-server").isPresent()
                    ? Optional.empty()
                    : Optional.of("redis-server not found in /usr/sbin or on the PATH (Debian: apt-get install redis-server)"));
        };
    }

    /**
     * Starts {@code kind} in front of {@code fleet}, ready for requests.
     *
     * @param maxConnections client connections the proxy should accept at once; capped by
     *                       {@link OpenFileLimit#proxyConnections}
     */
    public RunningSystem start(SystemKind kind, BenchFleet fleet, int maxConnections) {
        unavailable(kind).ifPresent(why -> {
            throw new IllegalStateException(kind.label() + ": cannot start: " + why);
        });
        List<FleetMember> members = fleet.members();
        if (kind == SystemKind.DIRECT) {
            return new RunningSystem(kind, members.stream().map(FleetMember::url).toList(), Optional.empty(),
                    Optional.empty(), List.of());
        }
        Path dir = outDir.resolve(kind.label());
        int port = FreePorts.loopback();
        int connections = OpenFileLimit.proxyConnections(maxConnections);
        if (kind.isInfergate()) {
            int adminPort = FreePorts.loopback();
            int redisPort = FreePorts.loopback();
            Optional<ChildProcess> redis = kind == SystemKind.INFERGATE_REDIS ? Optional.of(startRedis(dir, redisPort))
                    : Optional.empty();
            try {
                ChildProcess infergate = startInfergate(kind, dir, port, adminPort, members,
                        redis.map(r -> "redis://127.0.0.1:" + redisPort));
                return new RunningSystem(kind, List.of(dataPort(port)), Optional.of(infergate),
                        Optional.of(URI.create("http://127.0.0.1:" + adminPort + "/metrics")), redis.stream().toList());
            } catch (RuntimeException e) {
                redis.ifPresent(ChildProcess::close);
                throw e;
            }
        }
        ChildProcess process = switch (kind) {
            case NGINX_RR, NGINX_LC -> startNginx(kind, dir, port, members, connections);
            case HAPROXY_RR, HAPROXY_LC -> startHaproxy(kind, dir, port, members, connections);
            case DIRECT, INFERGATE, INFERGATE_TUNED, INFERGATE_NO_FLOW, INFERGATE_NO_PREFIX, INFERGATE_LOAD_AWARE,
                 INFERGATE_PREDICTED, INFERGATE_AUTH, INFERGATE_REDIS -> throw new IllegalStateException(kind.label() + " started above");
        };
        return new RunningSystem(kind, List.of(dataPort(port)), Optional.of(process), Optional.empty(), List.of());
    }

    private URI dataPort(int port) {
        return URI.create((tls.isPresent() ? "https" : "http") + "://127.0.0.1:" + port);
    }

    private ChildProcess startNginx(SystemKind kind, Path dir, int port, List<FleetMember> members, int maxConnections) {
        Path conf = BenchFiles.write(dir.resolve("nginx.conf"),
                ProxyConfigs.nginx(dir, port, members, kind == SystemKind.NGINX_LC, maxConnections, failover, tls));
        BenchFiles.createDirectories(dir.resolve("tmp"));
        List<String> command = pinned(Executables.find("nginx").orElseThrow().toString(),
                "-p", dir.toAbsolutePath().toString(), "-c", conf.toAbsolutePath().toString(),
                "-e", dir.resolve("error.log").toAbsolutePath().toString(), "-g", "daemon off;");
        ChildProcess nginx = ChildProcess.start(kind.label(), command, dir.resolve("process.log"));
        awaitDataPort(nginx, port);
        return nginx;
    }

    private ChildProcess startHaproxy(SystemKind kind, Path dir, int port, List<FleetMember> members, int maxConnections) {
        Path cfg = BenchFiles.write(dir.resolve("haproxy.cfg"),
                ProxyConfigs.haproxy(port, members, kind == SystemKind.HAPROXY_LC, maxConnections, failover,
                        Flavor.VLLM.healthPath(), tls));
        List<String> command = pinned(Executables.find("haproxy").orElseThrow().toString(),
                "-f", cfg.toAbsolutePath().toString(), "-db");
        ChildProcess haproxy = ChildProcess.start(kind.label(), command, dir.resolve("process.log"));
        awaitDataPort(haproxy, port);
        return haproxy;
    }

    /**
     * A redis-server on loopback {@code port}, without persistence, not pinned: it stands for a Redis on
     * another machine, so it must not take the measured proxy's core.
     */
    private ChildProcess startRedis(Path dir, int port) {
        BenchFiles.createDirectories(dir);
        List<String> command = List.of(Executables.find("redis-server").orElseThrow().toString(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toAbsolutePath().toString(),
                "--save", "", "--appendonly", "no");
        ChildProcess redis = ChildProcess.start("redis-server", command, dir.resolve("redis.log"));
        redis.awaitPort(port, START_TIMEOUT);
        return redis;
    }

    private ChildProcess startInfergate(SystemKind kind, Path dir, int port, int adminPort, List<FleetMember> members,
                                        Optional<String> redisUrl) {
        String security = kind.requiresApiKey() ? BenchApiKey.gatewayYaml(redisUrl) : "";
        Path config = BenchFiles.write(dir.resolve("infergate.yaml"), ProxyConfigs.infergate(port, adminPort, members,
                BuiltInScenarios.MODEL, flows.apply(kind),
                kind.routing(), kind.tunedFailover() ? failover : Optional.empty(), tls)
                + security + gatewayExtraYaml);
        List<String> command = pinned(gateway.command(config).toArray(String[]::new));
        ChildProcess infergate = ChildProcess.start(kind.label(), command, dir.resolve("process.log"));
        URI health = URI.create("http://127.0.0.1:" + adminPort + "/health");
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build()) {
            infergate.awaitReady(() -> answers200(http, health), "answer 200 on " + health, START_TIMEOUT);
        }
        awaitDataPort(infergate, port);
        return infergate;
    }

    /** Waits until the data port accepts connections and, with TLS, completes a handshake. */
    private void awaitDataPort(ChildProcess process, int port) {
        process.awaitPort(port, START_TIMEOUT);
        tls.ifPresent(t -> process.awaitReady(() -> t.handshakes(port), "complete a TLS handshake on port " + port,
                START_TIMEOUT));
    }

    private List<String> pinned(String... command) {
        List<String> full = new ArrayList<>(pinning);
        full.addAll(List.of(command));
        return full;
    }

    private static boolean answers200(HttpClient http, URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
