package io.infergate.loadgen.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.core.scale.AutoscalerConfig;
import io.infergate.loadgen.report.ReportJson;
import io.infergate.loadgen.report.TimelinePoint;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code autoscale} measured of the autoscaler, times in full-scale seconds: the {@code "scaling"}
 * object of its {@code results.json}.
 *
 * <pre>{@code
 * ScalingFigures figures = ScalingFigures.of(samples, phases, 16, report.timeline());
 * ObjectNode json = figures.toJson();
 * }</pre>
 *
 * @param startNodes            nodes serving just before the jump
 * @param maxNodes              most nodes serving at once
 * @param timeToMaxSeconds      from the jump until {@code maxNodesAllowed} served; NaN if they never did
 * @param steadyUtilisationPct  the pool's mean utilisation over the steady part of the high phase
 * @param steadyInBandPct       share of the steady part's samples (one per full-scale second, each the
 *                              autoscaler's smoothed figure) inside the target band
 * @param steadyNodes           mean nodes over the same part
 * @param sloMetAfterSeconds    from the jump until every later 10 s (full scale) of the high phase had at least
 *                              99 % of its requests within their SLO; NaN if that never happened
 * @param settledSloPct         share of the requests within their SLO over the high phase from 30 s after the jump
 * @param releases              nodes released (drained) during the run
 * @param releasedOldestFirst   whether every release took nodes at least as old as every node kept
 * @param endNodes              nodes at the end of the run
 */
public record ScalingFigures(int startNodes, int maxNodes, double timeToMaxSeconds, double steadyUtilisationPct,
                             double steadyInBandPct, double steadyNodes, double sloMetAfterSeconds, double settledSloPct, int releases,
                             boolean releasedOldestFirst, int endNodes) {

    /** The autoscaler's target band: its default, which the bench's configuration keeps. */
    private static final AutoscalerConfig DEFAULTS = AutoscalerConfig.builder().build();
    /** Share of a window's requests that must meet their SLO for the window to count as within it. */
    static final double SLO_SHARE = 0.99;
    /**
     * Full-scale seconds per SLO window: a 99 % share needs a hundred requests or more to mean anything
     * (of one second's ninety, a single slow request fails it), and the target is the 30 s after the jump.
     */
    static final double SLO_WINDOW_SECONDS = 10;
    /** When the pool should have settled after the jump, in full-scale seconds: the time the target allows to reach the maximum. */
    static final double SETTLE_SECONDS = 30;

    static ScalingFigures of(List<ScalingSample> samples, AutoscalePhases phases, int maxNodesAllowed,
                             List<TimelinePoint> timeline) {
        if (samples.isEmpty()) {
            throw new IllegalStateException("autoscale: no reading of /admin/autoscaler succeeded (expected: one per interval)");
        }
        int startNodes = samples.getFirst().ready();
        int maxNodes = 0;
        double reachedMax = Double.NaN;
        double utilisationSum = 0;
        int inBand = 0;
        double nodesSum = 0;
        int steadyCount = 0;
        for (ScalingSample s : samples) {
            if (s.second() < phases.jumpSecond()) {
                startNodes = s.ready();
            }
            maxNodes = Math.max(maxNodes, s.ready());
            if (Double.isNaN(reachedMax) && s.second() >= phases.jumpSecond() && s.ready() >= maxNodesAllowed) {
                reachedMax = s.second();
            }
            if (s.second() >= phases.steadyFromSecond() && s.second() < phases.fallSecond() && !Double.isNaN(s.utilisation())) {
                utilisationSum += s.utilisation();
                inBand += s.utilisation() >= DEFAULTS.bandLow() && s.utilisation() <= DEFAULTS.bandHigh() ? 1 : 0;
                nodesSum += s.committed();
                steadyCount++;
            }
        }
        int releases = 0;
        boolean oldestFirst = true;
        for (int i = 1; i < samples.size(); i++) {
            Map<String, Double> before = samples.get(i - 1).committedAges();
            Set<String> released = new HashSet<>(before.keySet());
            released.removeAll(samples.get(i).committedAges().keySet());
            double oldestKept = before.entrySet().stream().filter(e -> !released.contains(e.getKey()))
                    .mapToDouble(Map.Entry::getValue).max().orElse(0);
            for (String id : released) {
                releases++;
                oldestFirst &= before.get(id) >= oldestKept;
            }
        }
        return new ScalingFigures(startNodes, maxNodes,
                phases.fullScale(reachedMax - phases.jumpSecond()),
                steadyCount == 0 ? Double.NaN : 100 * utilisationSum / steadyCount,
                steadyCount == 0 ? Double.NaN : 100.0 * inBand / steadyCount,
                steadyCount == 0 ? Double.NaN : nodesSum / steadyCount,
                sloMetFrom(timeline, phases), settledSloPct(timeline, phases),
                releases, releases > 0 && oldestFirst, samples.getLast().committed());
    }

    /**
     * Full-scale seconds from the jump to the start of the earliest {@link #SLO_WINDOW_SECONDS} window
     * from which every window of the high phase met the SLO share; NaN if none did.
     */
    private static double sloMetFrom(List<TimelinePoint> timeline, AutoscalePhases phases) {
        Map<Integer, int[]> windows = new TreeMap<>();   // window -> {ok, good}
        for (TimelinePoint p : highPhase(timeline, phases)) {
            int[] counts = windows.computeIfAbsent(
                    (int) (phases.fullScale(p.second() - phases.jumpSecond()) / SLO_WINDOW_SECONDS), w -> new int[2]);
            counts[0] += p.ok();
            counts[1] += p.good();
        }
        double from = Double.NaN;
        for (Map.Entry<Integer, int[]> window : windows.entrySet()) {
            if (window.getValue()[1] < SLO_SHARE * window.getValue()[0]) {
                from = Double.NaN;
            } else if (Double.isNaN(from)) {
                from = window.getKey() * SLO_WINDOW_SECONDS;
            }
        }
        return from;
    }

    /** Percentage of the high phase's requests within their SLO once {@link #SETTLE_SECONDS} have passed. */
    private static double settledSloPct(List<TimelinePoint> timeline, AutoscalePhases phases) {
        long ok = 0;
        long good = 0;
        for (TimelinePoint p : highPhase(timeline, phases)) {
            if (phases.fullScale(p.second() - phases.jumpSecond()) >= SETTLE_SECONDS) {
                ok += p.ok();
                good += p.good();
            }
        }
        return ok == 0 ? Double.NaN : 100.0 * good / ok;
    }

    private static List<TimelinePoint> highPhase(List<TimelinePoint> timeline, AutoscalePhases phases) {
        return timeline.stream()
                .filter(p -> p.second() > phases.jumpSecond() && p.second() <= phases.fallSecond() && p.ok() > 0)
                .toList();
    }

    ObjectNode toJson() {
        ObjectNode json = ReportJson.MAPPER.createObjectNode();
        json.put("start_nodes", startNodes);
        json.put("max_nodes", maxNodes);
        putFinite(json, "time_to_max_s", timeToMaxSeconds);
        putFinite(json, "steady_utilisation_pct", steadyUtilisationPct);
        putFinite(json, "steady_in_band_pct", steadyInBandPct);
        json.put("released_oldest_first", releasedOldestFirst);
        putFinite(json, "steady_nodes", steadyNodes);
        putFinite(json, "slo_met_after_s", sloMetAfterSeconds);
        putFinite(json, "settled_slo_pct", settledSloPct);
        json.put("releases", releases);
        json.put("end_nodes", endNodes);
        return json;
    }

    private static void putFinite(ObjectNode json, String name, double value) {
        if (Double.isFinite(value)) {
            json.put(name, Math.round(value * 10) / 10.0);
        } else {
            json.putNull(name);
        }
    }
}
