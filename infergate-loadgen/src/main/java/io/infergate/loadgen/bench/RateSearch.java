package io.infergate.loadgen.bench;

import io.infergate.loadgen.LoadGenerator;
import io.infergate.loadgen.ProgressListener;
import io.infergate.loadgen.arrival.ArrivalProcess;
import io.infergate.loadgen.report.ClassReport;
import io.infergate.loadgen.report.LoadReport;
import io.infergate.loadgen.scenario.Scenario;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * Finds the highest rate a system sustains: sends at each offered rate in turn, evenly spaced, and stops
 * at the first step that falls short: fewer than 95 % of the scheduled requests answered, more than 1 %
 * failed or not sent (the scenario's in-flight cap applies), or a p99 above the limit.
 *
 * <pre>{@code
 * List<RateStep> steps = RateSearch.run(load, List.of(2000.0, 4000.0, 8000.0), Duration.ofSeconds(2), 50, System.err);
 * OptionalDouble max = RateSearch.highestSustained(steps);
 * }</pre>
 */
final class RateSearch {

    private RateSearch() {
    }

    static List<RateStep> run(Scenario load, List<Double> rates, Duration step, double p99LimitMs, PrintStream log) {
        List<RateStep> steps = new ArrayList<>();
        for (double rate : rates) {
            Scenario atRate = load.withArrival(ArrivalProcess.constant(rate)).withDuration(step)
                    .withMaxRequests(Long.MAX_VALUE);
            LoadReport report = LoadGenerator.run(atRate, ProgressListener.NONE);
            ClassReport all = report.overall();
            long scheduled = all.requests() + all.droppedByClient();
            long failed = all.errors() + all.droppedByClient();
            double okRps = all.ok() / report.sendSeconds();
            boolean sustained = scheduled > 0 && all.ok() >= 0.95 * scheduled && failed <= 0.01 * scheduled
                    && all.latency().p99Ms() <= p99LimitMs;
            steps.add(new RateStep(rate, Math.round(okRps * 10) / 10.0, all.latency().p99Ms(), failed, sustained));
            log.printf(Locale.ROOT, "    rate search: offered %.0f/s → ok %.0f/s, p99 %.2f ms, failed %d: %s%n",
                    rate, okRps, all.latency().p99Ms(), failed, sustained ? "sustained" : "not sustained");
            if (!sustained) {
                break;
            }
        }
        return steps;
    }

    /** The answered rate of the last sustained step, or empty when even the first fell short. */
    static OptionalDouble highestSustained(List<RateStep> steps) {
        return steps.stream().filter(RateStep::sustained).mapToDouble(RateStep::okRps).max();
    }
}
