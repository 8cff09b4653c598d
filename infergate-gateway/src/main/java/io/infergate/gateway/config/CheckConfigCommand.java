package io.infergate.gateway.config;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code infergate check-config FILE}: validates a configuration file without starting anything.
 * Prints {@code FILE: OK (2 pools, 5 endpoints, models: a, b)} and exits 0, or prints every problem as
 * {@code FILE:LINE:COL: FIELD: MESSAGE} on stderr and exits 2.
 *
 * <pre>{@code
 * int exit = new CommandLine(new CheckConfigCommand()).execute("infergate.yaml");
 * }</pre>
 */
@Command(name = "check-config",
        description = "Validates a gateway configuration file and prints every problem with file, line and field.")
public final class CheckConfigCommand implements Callable<Integer> {

    /** Exit code of a file that is invalid or cannot be read. */
    public static final int INVALID = 2;

    @Parameters(index = "0", paramLabel = "FILE", description = "The YAML configuration file to check.")
    private Path file;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        try {
            GatewayConfig config = ConfigLoader.load(file);
            spec.commandLine().getOut().printf("%s: OK (%s, %s, models: %s)%n", file,
                    count(config.pools().size(), "pool"), count(config.endpoints().size(), "endpoint"),
                    String.join(", ", config.models()));
            return 0;
        } catch (ConfigException e) {
            e.errors().forEach(err::println);
        } catch (NoSuchFileException e) {
            err.println(file + ": no such file");
        } catch (IOException e) {
            err.println(file + ": cannot read: " + e.getMessage());
        }
        return INVALID;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
