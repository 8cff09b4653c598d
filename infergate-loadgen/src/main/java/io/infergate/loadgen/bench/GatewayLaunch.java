package io.infergate.loadgen.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How the bench starts the infergate gateway: as a child JVM running {@code io.infergate.cli.Main serve},
 * so that its CPU and memory can be read from {@code /proc} apart from the bench's own.
 *
 * <pre>{@code
 * GatewayLaunch launch = GatewayLaunch.fromThisJvm();      // same java, same class path
 * List<String> command = launch.command(Path.of("out/infergate/infergate.yaml"));
 * }</pre>
 *
 * @param java       the java executable
 * @param classPath  a class path holding {@code io.infergate.cli.Main} and the gateway
 * @param jvmOptions options for the gateway's JVM
 */
public record GatewayLaunch(Path java, String classPath, List<String> jvmOptions) {

    /** The class whose {@code serve} command runs the gateway. */
    public static final String MAIN_CLASS = "io.infergate.cli.Main";

    public GatewayLaunch {
        Objects.requireNonNull(java, "java");
        Objects.requireNonNull(classPath, "classPath");
        jvmOptions = List.copyOf(jvmOptions);
    }

    /** This JVM's java executable and class path; bench runs from the infergate jar, which holds everything. */
    public static GatewayLaunch fromThisJvm() {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new GatewayLaunch(java, System.getProperty("java.class.path"), List.of("-XX:+ExitOnOutOfMemoryError"));
    }

    /** Why the gateway cannot be started from here, or empty when it can. */
    public Optional<String> unavailable() {
        try {
            Class.forName(MAIN_CLASS, false, GatewayLaunch.class.getClassLoader());
            return Optional.empty();
        } catch (ClassNotFoundException e) {
            return Optional.of(MAIN_CLASS + " is not on the class path (run bench from the infergate jar: "
                    + "java -jar infergate-cli/target/infergate.jar bench ...)");
        }
    }

    /** The command line that serves {@code config}. */
    public List<String> command(Path config) {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(MAIN_CLASS);
        command.add("serve");
        command.add("--config");
        command.add(config.toAbsolutePath().toString());
        return command;
    }
}
