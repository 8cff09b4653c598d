package io.infergate.gateway.scale;

import io.infergate.gateway.ServeCommand;
import io.infergate.gateway.config.ConfigException;
import io.infergate.gateway.config.ConfigLoader;
import io.infergate.gateway.config.GatewayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code infergate autoscale --config FILE --gateway URL [--gateway URL ...]}: runs the {@code autoscaler:}
 * section of a gateway configuration file in its own process, against the gateways' admin APIs, until
 * interrupted ({@link StandaloneAutoscaler}).
 *
 * <pre>{@code
 * ./infergate autoscale --config gw.yaml --gateway http://10.0.0.2:8081 --gateway http://10.0.0.3:8081 \
 *     --admin-token-file /run/secrets/admin-token --port 8091
 * }</pre>
 */
@Command(name = "autoscale", mixinStandardHelpOptions = true,
        description = "Run the autoscaler of a config file's autoscaler: section (run_in: external) as its own "
                + "process, adding and draining endpoints through the gateways' admin APIs.")
public final class AutoscaleCommand implements Callable<Integer> {

    /** Exit code of a configuration or command line that cannot be run. */
    static final int INVALID = 2;
    static final int FAILED = 1;

    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
            description = "Gateway configuration (YAML) with an autoscaler: section, run_in: external.")
    Path config;

    @Option(names = "--gateway", required = true, paramLabel = "URL",
            description = "A gateway's admin URL, e.g. http://10.0.0.2:8081; repeat for each gateway.")
    List<URI> gateways;

    @Option(names = "--admin-token-file", paramLabel = "FILE",
            description = "File holding the gateways' admin.token, sent as a bearer token.")
    Optional<Path> adminTokenFile;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "8091",
            description = "Port of /metrics and /admin/autoscaler (default: ${DEFAULT-VALUE}; 0 for any).")
    int port;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        GatewayConfig parsed;
        Optional<String> token;
        try {
            parsed = ConfigLoader.load(config);
            token = adminTokenFile.isEmpty() ? Optional.empty() : Optional.of(Files.readString(adminTokenFile.get()).strip());
        } catch (ConfigException e) {
            spec.commandLine().getErr().println(e.getMessage());
            return INVALID;
        } catch (IOException e) {
            spec.commandLine().getErr().println("cannot read: " + e.getMessage());
            return INVALID;
        }
        StandaloneAutoscaler autoscaler;
        try {
            autoscaler = StandaloneAutoscaler.start(parsed, gateways, token, port);
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println(config + ": " + e.getMessage());
            return INVALID;
        } catch (IllegalStateException e) { // e.g. its port is taken
            spec.commandLine().getErr().println("infergate autoscale: " + e.getMessage());
            return FAILED;
        }
        spec.commandLine().getOut().printf("infergate autoscaler of pool '%s' for %s: http://%s:%d/admin/autoscaler"
                        + " (metrics at /metrics)%n", parsed.autoscaler().orElseThrow().pool(), gateways,
                parsed.listen().adminHost(), autoscaler.port());
        spec.commandLine().getOut().flush();
        ServeCommand.closeOnShutdown(autoscaler);
        return 0;
    }
}
