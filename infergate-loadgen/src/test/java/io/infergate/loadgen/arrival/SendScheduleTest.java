package io.infergate.loadgen.arrival;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SendScheduleTest {

    @Test
    void constantSpacingSendsEvenlyFromTimeZeroUntilTheDuration() {
        List<Long> times = all(new SendSchedule(ArrivalProcess.constant(40), Duration.ofMillis(1500), Long.MAX_VALUE,
                new SplittableRandom(1)));

        assertThat(times).hasSize(60);
        for (int i = 0; i < times.size(); i++) {
            assertThat(times.get(i)).isEqualTo(i * 25_000_000L);
        }
    }

    @Test
    void poissonSpacingKeepsTheMeanRateWithExponentialGaps() {
        List<Long> times = all(new SendSchedule(ArrivalProcess.poisson(1000), Duration.ofSeconds(60), Long.MAX_VALUE,
                new SplittableRandom(42)));

        assertThat(times.size()).isCloseTo(60_000, within(1_000));
        // exponential gaps: the standard deviation equals the mean
        double[] gaps = new double[times.size() - 1];
        for (int i = 1; i < times.size(); i++) {
            gaps[i - 1] = times.get(i) - times.get(i - 1);
        }
        double mean = Arrays.stream(gaps).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(gaps).map(g -> (g - mean) * (g - mean)).average().orElseThrow());
        assertThat(mean).isCloseTo(1_000_000, within(30_000.0));
        assertThat(sd / mean).isCloseTo(1.0, within(0.05));
    }

    @Test
    void theSameSeedGivesTheSameSchedule() {
        ArrivalProcess poisson = ArrivalProcess.poisson(100);
        assertThat(all(new SendSchedule(poisson, Duration.ofSeconds(5), Long.MAX_VALUE, new SplittableRandom(9))))
                .isEqualTo(all(new SendSchedule(poisson, Duration.ofSeconds(5), Long.MAX_VALUE, new SplittableRandom(9))));
    }

    @Test
    void burstsMultiplyTheRateDuringTheLastSecondsOfEachPeriod() {
        // 10 req/s, 5× for the last 10 s of every 30 s, for 60 s
        List<Long> times = all(new SendSchedule(
                ArrivalProcess.bursts(10, 5, 10, 30, Spacing.CONSTANT), Duration.ofSeconds(60), Long.MAX_VALUE,
                new SplittableRandom(1)));

        assertThat(countBetween(times, 0, 20)).isCloseTo(200, within(2L));
        assertThat(countBetween(times, 20, 30)).isCloseTo(500, within(2L));
        assertThat(countBetween(times, 30, 50)).isCloseTo(200, within(2L));
        assertThat(countBetween(times, 50, 60)).isCloseTo(500, within(2L));
    }

    @Test
    void aStepwiseScheduleFollowsItsStepsAndSendsNothingWhileTheRateIsZero() {
        RateProfile steps = RateScheduleFile.parse(List.of("second,rate", "0,10", "2,0", "5,20"), "rates.csv");

        List<Long> times = all(new SendSchedule(ArrivalProcess.of(steps, Spacing.CONSTANT), Duration.ofSeconds(6),
                Long.MAX_VALUE, new SplittableRandom(1)));

        assertThat(countBetween(times, 0, 2)).isEqualTo(20);
        assertThat(countBetween(times, 2, 5)).isZero();
        assertThat(countBetween(times, 5, 6)).isEqualTo(20);
    }

    @Test
    void aRampStartsAtATenthOfTheRateAndReachesAllOfItAtItsEnd() {
        ArrivalProcess ramped = ArrivalProcess.constant(1000).rampedOver(Duration.ofSeconds(10));

        List<Long> times = all(new SendSchedule(ramped, Duration.ofSeconds(12), Long.MAX_VALUE, new SplittableRandom(1)));

        assertThat(ramped.profile().rateAt(0)).isEqualTo(100);
        assertThat(ramped.profile().rateAt(5)).isEqualTo(550);
        assertThat(countBetween(times, 0, 1)).isCloseTo(145, within(3L));   // mean rate over the first second: 145
        assertThat(countBetween(times, 10, 12)).isCloseTo(2000, within(2L));
        assertThat(ramped.describe()).isEqualTo("constant, 1000 req/s, ramped up over 10 s");
    }

    @Test
    void theRequestCountBoundsTheScheduleBeforeTheDuration() {
        SendSchedule schedule = new SendSchedule(ArrivalProcess.constant(100), Duration.ofHours(1), 7,
                new SplittableRandom(1));

        assertThat(all(schedule)).hasSize(7);
        assertThat(schedule.stoppedByCount()).isTrue();
    }

    @Test
    void aRateOverrideIsRefusedForAScheduleReadFromAFile() {
        ArrivalProcess fromFile = ArrivalProcess.of(RateScheduleFile.parse(List.of("0,5"), "r.csv"), Spacing.POISSON);

        assertThatThrownBy(() -> fromFile.withBaseRate(10)).hasMessageContaining("edit the file");
        assertThat(ArrivalProcess.bursts(10, 5, 10, 60, Spacing.POISSON).withBaseRate(20).profile().rateAt(55))
                .isEqualTo(100);
    }

    private static long countBetween(List<Long> times, double fromSecond, double toSecond) {
        return times.stream().filter(t -> t >= fromSecond * 1e9 && t < toSecond * 1e9).count();
    }

    private static List<Long> all(SendSchedule schedule) {
        List<Long> times = new ArrayList<>();
        for (long at = schedule.next(); at >= 0; at = schedule.next()) {
            times.add(at);
        }
        return times;
    }
}
