package io.infergate.loadgen.bench;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything one bench run measured, system by system, in the order they ran.
 *
 * <pre>{@code
 * BenchResults results = BenchRunner.run(options);
 * results.system(SystemKind.INFERGATE).ifPresent(r -> System.out.println(r.report().overall().latency().p99Ms()));
 * }</pre>
 *
 * @param scenario  bench scenario name
 * @param quick     whether the short CI version ran
 * @param fleet     what the fleet was, in words
 * @param setup     how the systems ran, in words (pinning, cores)
 * @param systems   results of the systems that ran
 * @param skipped   systems that did not run, with the reason
 * @param baseline  infergate under the scenario's baseline traffic ({@code priority}: critical alone, no flood)
 */
public record BenchResults(String scenario, boolean quick, String fleet, String setup, List<SystemResult> systems,
                           Map<String, String> skipped, Optional<SystemResult> baseline) {

    public BenchResults {
        Objects.requireNonNull(scenario, "scenario");
        Objects.requireNonNull(fleet, "fleet");
        Objects.requireNonNull(setup, "setup");
        systems = List.copyOf(systems);
        skipped = Map.copyOf(skipped);
        Objects.requireNonNull(baseline, "baseline");
    }

    public Optional<SystemResult> system(SystemKind kind) {
        return systems.stream().filter(s -> s.kind() == kind).findFirst();
    }

    /** The system others are compared with: infergate when it ran, else the first that did. */
    public Optional<SystemResult> reference() {
        return system(SystemKind.INFERGATE).or(() -> systems.stream().findFirst());
    }

    /** Whether this scenario measures proxy costs (so every system gets a {@code proxy} entry). */
    public boolean measuresProxy() {
        return BenchScenario.named(scenario).measuresProxy();
    }
}
