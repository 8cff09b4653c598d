package io.infergate.loadgen.report;

import java.util.List;

/**
 * Everything a load run measured; written as JSON, a table and an HTML page.
 *
 * <pre>{@code
 * LoadReport report = LoadGenerator.run(scenario, ProgressListener.NONE);
 * ReportFiles.write(report, Path.of("out"));
 * double p99 = report.overall().latency().p99Ms();
 * }</pre>
 *
 * @param scenario       scenario name
 * @param targets        where requests went
 * @param arrival        the arrival process, in words
 * @param startedAt      wall-clock start, ISO-8601
 * @param sendSeconds    length of the sending window
 * @param elapsedSeconds sending window plus the wait for the last answers
 * @param offeredRps     requests scheduled per second of the sending window (sent and dropped)
 * @param sendLag        how late requests left against their intended time; large values mean the
 *                       load generator itself was short of CPU
 * @param overall        all classes together
 * @param classes        per request class, in scenario order
 * @param timeline       one point per second
 */
public record LoadReport(
        String scenario,
        List<String> targets,
        String arrival,
        String startedAt,
        double sendSeconds,
        double elapsedSeconds,
        double offeredRps,
        Percentiles sendLag,
        ClassReport overall,
        List<ClassReport> classes,
        List<TimelinePoint> timeline) {

    public LoadReport {
        targets = List.copyOf(targets);
        classes = List.copyOf(classes);
        timeline = List.copyOf(timeline);
    }
}
