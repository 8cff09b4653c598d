package io.infergate.loadgen;

import io.infergate.loadgen.report.LoadReport;
import io.infergate.loadgen.report.LoadReportFiles;
import io.infergate.loadgen.report.LoadReportTable;
import io.infergate.loadgen.scenario.BuiltInScenarios;
import io.infergate.loadgen.scenario.DurationText;
import io.infergate.loadgen.scenario.Scenario;
import io.infergate.loadgen.scenario.ScenarioFile;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code infergate load}: runs a scenario open-loop against one target and writes a table, JSON and HTML.
 *
 * <pre>{@code
 * ./infergate load --target http://127.0.0.1:8080 --scenario steady --rate 30 --duration 60s --out out/
 * ./infergate load --target http://127.0.0.1:8080 --scenario my-mix.yaml --requests 1000
 * }</pre>
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = {"Open-loop load generator: sends a scenario's requests on schedule, whether or not earlier ones "
                + "have answered, and measures TTFT, inter-token and end-to-end latency from each intended send time.",
                "Prints a line per second on stderr, a table on stdout, and writes report.json and report.html to --out."})
public final class LoadCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--target", paramLabel = "URL",
            description = "Base URL to send to, e.g. http://127.0.0.1:8080; repeat for round robin over several. "
                    + "Overrides the scenario's target.")
    List<URI> targets = List.of();

    @Option(names = "--scenario", paramLabel = "FILE|NAME", defaultValue = "steady",
            description = "A scenario YAML file, or a built-in name: steady, burst, overhead, streams, priority "
                    + "(default: ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--rate", paramLabel = "REQ/S", description = "Base request rate, overriding the scenario's.")
    Double rate;

    @Option(names = "--duration", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long to send, e.g. 30s or 5m (default: the scenario's).")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "0s",
            description = "Run the scenario this long first, on the same connections, and discard what it measured "
                    + "(default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--requests", paramLabel = "N", description = "Send at most N requests.")
    Long requests;

    @Option(names = "--max-in-flight", paramLabel = "N",
            description = "Safety cap on unanswered requests; requests due beyond it are counted as dropped_by_client, never delayed.")
    Integer maxInFlight;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "A request unanswered this long after its intended send time fails as a timeout.")
    Duration timeout;

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the arrival times and request mix.")
    Long seed;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "load-report",
            description = "Directory for report.json and report.html (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--quiet", description = "No progress line on stderr.")
    boolean quiet;

    @Override
    public Integer call() {
        Scenario configured;
        try {
            configured = configuredScenario();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e, null, scenario);
        }
        LoadReport report = LoadGenerator.run(configured, warmup,
                quiet ? ProgressListener.NONE : ProgressListener.printingTo(System.err, ""));
        System.out.print(LoadReportTable.render(report));
        LoadReportFiles.Written files = LoadReportFiles.write(report, out);
        System.err.println("wrote " + files.json() + " and " + files.html());
        return 0;
    }

    /** The scenario named by {@code --scenario}, with the command-line overrides applied. */
    Scenario configuredScenario() {
        Scenario s = resolve(scenario);
        if (!targets.isEmpty()) {
            s = s.withTargets(targets);
        }
        if (rate != null) {
            s = s.withArrival(s.arrival().withBaseRate(rate));
        }
        if (duration != null) {
            s = s.withDuration(duration);
        }
        if (requests != null) {
            s = s.withMaxRequests(requests);
        }
        if (maxInFlight != null) {
            s = s.withMaxInFlight(maxInFlight);
        }
        if (timeout != null) {
            s = s.withTimeout(timeout);
        }
        if (seed != null) {
            s = s.withSeed(seed);
        }
        if (s.targets().isEmpty()) {
            throw new IllegalArgumentException("--target: missing (expected: the URL to send to, e.g. "
                    + "--target http://127.0.0.1:8080, or target: in the scenario file)");
        }
        return s;
    }

    /** A YAML file if one exists at that path (or the name ends in .yaml/.yml), else a built-in scenario. */
    public static Scenario resolve(String fileOrName) {
        Path path = Path.of(fileOrName);
        if (Files.isRegularFile(path) || fileOrName.endsWith(".yaml") || fileOrName.endsWith(".yml")) {
            return ScenarioFile.read(path);
        }
        return BuiltInScenarios.named(fileOrName);
    }

    /** Reads {@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h} or seconds. */
    public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return DurationText.parse(value);
        }
    }
}
