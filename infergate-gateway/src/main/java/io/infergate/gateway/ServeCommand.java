package io.infergate.gateway;

import io.infergate.gateway.config.ConfigException;
import io.infergate.gateway.config.ConfigLoader;
import io.infergate.gateway.config.GatewayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code infergate serve --config FILE}: runs the gateway until SIGTERM or SIGINT, then drains it
 * ({@link Gateway#shutdown()}) and exits 0; a second signal stops it at once.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run the gateway in front of the inference servers declared in a config file.")
public final class ServeCommand implements Callable<Integer> {

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "Gateway configuration (YAML), see examples/infergate.yaml.")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        GatewayConfig parsed;
        try {
            parsed = ConfigLoader.load(config);
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println(config + ": cannot read: " + e.getMessage());
            return 2;
        }
        runUntilShutdown(parsed, Optional.of(config), System.out);
        return 0;
    }

    /**
     * Starts a gateway on {@code config} (read from {@code file}, which is then watched for reloads),
     * prints where it listens, blocks until SIGTERM or SIGINT, and returns once the gateway has drained.
     */
    public static void runUntilShutdown(GatewayConfig config, Optional<Path> file, PrintStream out)
            throws InterruptedException {
        Gateway gateway = Gateway.start(config, file);
        out.printf("infergate gateway: data plane http://%s:%d, admin http://%s:%d (metrics at /metrics)%n",
                config.listen().host(), gateway.port(), config.listen().adminHost(), gateway.adminPort());
        drainOnStop(gateway, config, out);
    }

    /**
     * Blocks until SIGTERM or SIGINT, drains {@code gateway} ({@link Gateway#shutdown()}; a second signal
     * stops the process at once), then closes {@code afterwards} in order: what the gateway stands in front
     * of in this process (the demo's emulated fleet) serves its streams until the drain is over.
     */
    public static void drainOnStop(Gateway gateway, GatewayConfig config, PrintStream out,
                                   AutoCloseable... afterwards) throws InterruptedException {
        String signal = StopSignals.await();
        out.printf("infergate gateway: SIG%s: draining (grace %d ms, drain timeout %d ms); send it again to stop "
                + "at once%n", signal, config.shutdown().grace().toMillis(), config.shutdown().drainTimeout().toMillis());
        gateway.shutdown();
        closeAll(afterwards);
        out.println("infergate gateway: stopped");
    }

    /**
     * Blocks until SIGTERM or SIGINT, then closes {@code resources} in order, so nothing started in this
     * process outlives it; a second signal stops the process at once.
     */
    public static void closeOnShutdown(AutoCloseable... resources) throws InterruptedException {
        StopSignals.await();
        closeAll(resources);
    }

    private static void closeAll(AutoCloseable... resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                System.err.println("infergate: while stopping: " + e);
            }
        }
    }
}
