package io.infergate.cli;

import io.infergate.emulator.EmulatedFleet;
import io.infergate.gateway.Gateway;
import io.infergate.gateway.ServeCommand;
import io.infergate.gateway.config.ConfigException;
import io.infergate.gateway.config.ConfigLoader;
import io.infergate.gateway.config.GatewayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code infergate demo}: an emulated, heterogeneous GPU fleet in pretend regions, and the gateway in
 * front of it, all in this one process so that Ctrl-C leaves nothing behind.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Start an emulated vLLM fleet and the gateway in front of it, and show what to try.")
public final class DemoCommand implements Callable<Integer> {

    static final String MODEL = EmulatedFleet.DEMO_MODEL;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address the data plane listens on; the admin API stays on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Data-plane port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--admin-port", defaultValue = "8081", description = "Admin port (default: ${DEFAULT-VALUE}).")
    int adminPort;

    @Option(names = "--speed", defaultValue = "1.0",
            description = "Time scale of the emulated servers; 10 = ten times faster than real GPUs (default: ${DEFAULT-VALUE}).")
    double speed;

    @Override
    public Integer call() throws IOException, InterruptedException {
        EmulatedFleet fleet = EmulatedFleet.demo(speed);
        Gateway gateway;
        GatewayConfig config;
        Path configFile;
        try {
            String yaml = configFor(fleet);
            configFile = Files.createTempFile("infergate-demo-", ".yaml");
            configFile.toFile().deleteOnExit();
            Files.writeString(configFile, yaml);
            config = ConfigLoader.load(configFile);
            gateway = Gateway.start(config);
        } catch (ConfigException e) {
            fleet.close();
            throw new IllegalStateException("the demo wrote a config it cannot read:\n" + e.getMessage(), e);
        } catch (RuntimeException e) {
            fleet.close();
            throw e;
        }
        printWelcome(fleet, gateway, configFile, config.listen().adminHost());
        ServeCommand.drainOnStop(gateway, config, System.out, fleet);
        return 0;
    }

    String configFor(EmulatedFleet fleet) {
        StringBuilder yaml = new StringBuilder()
                .append("# Written by `infergate demo`: the gateway in front of an emulated fleet.\n")
                .append("listen: {host: ").append(host).append(", port: ").append(port)
                .append(", admin_port: ").append(adminPort).append("}\n")
                .append("pools:\n  - name: demo\n    type: vllm\n    models: [").append(MODEL).append("]\n")
                .append("    endpoints:\n");
        for (EmulatedFleet.Member member : fleet.members()) {
            yaml.append(String.format(Locale.ROOT,
                    "      - {id: %s, url: \"%s\", region: %s, site: %s, accelerator: {type: %s, count: %d},"
                            + " price_per_hour: %.2f, egress_per_gb: %.2f, capacity: %s}%n",
                    member.id(), member.url(), member.region(), member.site().name().toLowerCase(Locale.ROOT),
                    member.accelerator().type(), member.accelerator().count(), member.pricePerHour(),
                    member.egressPerGb(), member.capacity().name().toLowerCase(Locale.ROOT)));
        }
        return yaml.toString();
    }

    private void printWelcome(EmulatedFleet fleet, Gateway gateway, Path configFile, String adminHost) {
        String base = url(host);
        System.out.printf("%ninfergate demo: %d emulated vLLM endpoints behind the gateway (speed x%s)%n",
                fleet.members().size(), speed);
        for (EmulatedFleet.Member member : fleet.members()) {
            System.out.printf("  %-20s %-11s %-16s %s%n", member.id(), member.region(), member.profile(),
                    member.url());
        }
        System.out.printf("""

                Try:
                  curl -N %1$s:%2$d/v1/chat/completions -H 'content-type: application/json' \\
                    -d '{"model":"%4$s","stream":true,"messages":[{"role":"user","content":"Hello!"}]}'
                  curl %1$s:%2$d/v1/models
                  curl %6$s:%3$d/metrics              # Prometheus metrics
                  curl '%6$s:%3$d/admin/picks?limit=1' # why the last request went where it went
                  ./infergate load --target %1$s:%2$d --duration 30s   # traffic, open loop

                The admin API answers on loopback only: the demo sets no admin.token.
                Config in use: %5$s
                Ctrl-C stops the gateway and the fleet.
                """, base, gateway.port(), gateway.adminPort(), MODEL, configFile, url(adminHost));
    }

    private static String url(String host) {
        return "http://" + (host.equals("0.0.0.0") ? "localhost" : host);
    }
}
