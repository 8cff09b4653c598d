package io.infergate.loadgen.bench;

import io.infergate.loadgen.report.TimelinePoint;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The figures {@code autoscale} derives from its samples of {@code /admin/autoscaler} and the load's timeline. */
class ScalingFiguresTest {

    /** Speed 10: jump at 6 s, fall at 42 s, end at 78 s; steady from 27.6 s. */
    private static final AutoscalePhases PHASES = AutoscalePhases.of(false, 10);

    private static ScalingSample sample(double second, int ready, double utilisation, Map<String, Double> ages) {
        return new ScalingSample(second, ages.size(), ready, utilisation, 0, ages);
    }

    private static TimelinePoint second(double second, long ok, long good) {
        return new TimelinePoint(second, ok, ok, good, 0, 0, 0, 100, 200, 50, 90);
    }

    @Test
    void measuresTheJumpTheSteadyPartAndTheReleases() {
        List<ScalingSample> samples = List.of(
                sample(5, 2, 0.1, Map.of("a", 50.0, "b", 50.0)),
                sample(8, 2, 0.9, Map.of("a", 80.0, "b", 80.0, "n1", 1.0, "n2", 1.0)),
                sample(8.5, 16, 0.5, Map.of("a", 85.0, "b", 85.0, "n1", 6.0, "n2", 6.0)),
                sample(30, 4, 0.88, Map.of("n1", 220.0, "n2", 220.0)),
                sample(35, 4, 0.95, Map.of("n1", 270.0, "n2", 270.0)),
                sample(40, 4, 0.90, Map.of("n1", 320.0, "n2", 320.0)),
                sample(50, 2, 0.1, Map.of("n2", 400.0)));

        ScalingFigures figures = ScalingFigures.of(samples, PHASES, 16, List.of());

        assertThat(figures.startNodes()).isEqualTo(2);
        assertThat(figures.maxNodes()).isEqualTo(16);
        assertThat(figures.timeToMaxSeconds()).isEqualTo(25.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(figures.steadyUtilisationPct()).isEqualTo(91.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(figures.steadyInBandPct()).isEqualTo(200.0 / 3, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(figures.releases()).isEqualTo(3);
        assertThat(figures.releasedOldestFirst()).isTrue();
        assertThat(figures.endNodes()).isEqualTo(1);
    }

    @Test
    void aReleaseOfAYoungerNodeWhileAnOlderOneStaysIsNotOldestFirst() {
        List<ScalingSample> samples = List.of(
                sample(1, 2, 0.5, Map.of("old", 100.0, "young", 10.0)),
                sample(2, 1, 0.5, Map.of("old", 101.0)));

        assertThat(ScalingFigures.of(samples, PHASES, 16, List.of()).releasedOldestFirst()).isFalse();
    }

    @Test
    void theSloCountsAsMetFromTheFirstSecondAfterWhichEverySecondOfTheHighPhaseMetIt() {
        List<TimelinePoint> timeline = new ArrayList<>();
        for (int s = 7; s <= 42; s++) {
            timeline.add(second(s, 100, s < 10 || s == 12 ? 50 : 100));
        }

        ScalingFigures figures = ScalingFigures.of(List.of(sample(1, 2, 0.1, Map.of())), PHASES, 16, timeline);

        assertThat(figures.sloMetAfterSeconds()).isEqualTo(70.0, org.assertj.core.api.Assertions.within(1e-9));
        assertThat(figures.timeToMaxSeconds()).isNaN();
    }

    @Test
    void oneSlowRequestInTenSecondsOfHundredsDoesNotCountAsAMissedSlo() {
        AutoscalePhases phases = AutoscalePhases.of(false, 4);   // jump at 15 s, fall at 105 s (wall clock)
        List<TimelinePoint> timeline = new ArrayList<>();
        for (int s = 16; s <= 105; s++) {
            timeline.add(second(s, 90, s == 19 ? 45 : s == 80 ? 89 : 90));
        }

        ScalingFigures figures = ScalingFigures.of(List.of(sample(1, 2, 0.1, Map.of())), phases, 16, timeline);

        // s = 19 is 16 s after the jump (full scale): its window [10, 20) misses, the next ones all meet it
        assertThat(figures.sloMetAfterSeconds()).isEqualTo(20.0, org.assertj.core.api.Assertions.within(1e-9));
        // from 30 s after the jump (s >= 22.5): 83 seconds of 90 requests, one of them slow
        assertThat(figures.settledSloPct()).isEqualTo(100.0 * (83 * 90 - 1) / (83 * 90),
                org.assertj.core.api.Assertions.within(1e-9));
    }
}
