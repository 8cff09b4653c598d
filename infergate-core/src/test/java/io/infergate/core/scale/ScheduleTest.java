package io.infergate.core.scale;

import io.infergate.core.time.FakeTicker;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;

import static io.infergate.core.scale.Pools.HOME;
import static io.infergate.core.scale.Pools.readyNodes;
import static io.infergate.core.scale.ScheduleWindow.NO_MAX;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Schedule windows: weekdays 09:00–18:00 at least 8 nodes, nights 22:00–06:00 two, in a time zone. */
class ScheduleTest {

    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    private static final ScheduleWindow OFFICE =
            new ScheduleWindow(ScheduleWindow.parseDays("weekdays"), LocalTime.of(9, 0), LocalTime.of(18, 0), 8, NO_MAX);
    private static final ScheduleWindow NIGHTS =
            new ScheduleWindow(ScheduleWindow.parseDays("daily"), LocalTime.of(22, 0), LocalTime.of(6, 0), 2, 2);
    private static final Schedule SCHEDULE = new Schedule(PARIS, List.of(OFFICE, NIGHTS));

    private static Instant paris(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(PARIS).toInstant();
    }

    @Test
    void officeHoursOpenOnWeekdaysOnly() {
        // 2026-01-05 is a Monday, 2026-01-10 a Saturday
        assertThat(SCHEDULE.openAt(paris("2026-01-05T08:59:59"))).isEmpty();
        assertThat(SCHEDULE.openAt(paris("2026-01-05T09:00:00"))).contains(OFFICE);
        assertThat(SCHEDULE.openAt(paris("2026-01-05T17:59:59"))).contains(OFFICE);
        assertThat(SCHEDULE.openAt(paris("2026-01-05T18:00:00"))).isEmpty();
        assertThat(SCHEDULE.openAt(paris("2026-01-10T12:00:00"))).isEmpty();
    }

    @Test
    void aNightWindowCrossesMidnight() {
        assertThat(SCHEDULE.openAt(paris("2026-01-05T21:59:59"))).isEmpty();
        assertThat(SCHEDULE.openAt(paris("2026-01-05T22:00:00"))).contains(NIGHTS);
        assertThat(SCHEDULE.openAt(paris("2026-01-06T00:00:00"))).contains(NIGHTS);
        assertThat(SCHEDULE.openAt(paris("2026-01-06T05:59:59"))).contains(NIGHTS);
        assertThat(SCHEDULE.openAt(paris("2026-01-06T06:00:00"))).isEmpty();
    }

    @Test
    void aWindowCrossingMidnightBelongsToTheDayItOpens() {
        ScheduleWindow fridayNight =
                new ScheduleWindow(EnumSet.of(DayOfWeek.FRIDAY), LocalTime.of(22, 0), LocalTime.of(6, 0), 4, NO_MAX);
        Schedule schedule = new Schedule(PARIS, List.of(fridayNight));

        assertThat(schedule.openAt(paris("2026-01-09T23:00:00"))).as("Friday 23:00").isPresent();
        assertThat(schedule.openAt(paris("2026-01-10T03:00:00"))).as("Saturday 03:00").isPresent();
        assertThat(schedule.openAt(paris("2026-01-09T03:00:00"))).as("Friday 03:00").isEmpty();
        assertThat(schedule.openAt(paris("2026-01-10T23:00:00"))).as("Saturday 23:00").isEmpty();
    }

    @Test
    void windowsAreReadInTheScheduleTimeZone() {
        // 08:30 UTC on a winter Monday is 09:30 in Paris and 03:30 in New York
        Instant instant = Instant.parse("2026-01-05T08:30:00Z");

        assertThat(SCHEDULE.openAt(instant)).contains(OFFICE);
        assertThat(new Schedule(ZoneId.of("UTC"), List.of(OFFICE)).openAt(instant)).isEmpty();
        assertThat(new Schedule(ZoneId.of("America/New_York"), List.of(OFFICE, NIGHTS)).openAt(instant)).contains(NIGHTS);
    }

    @Test
    void theAutoscalerFollowsTheScheduleThroughADay() {
        // given a 3-node pool at 08:59 on a Monday in Paris
        FakeTicker ticker = new FakeTicker();
        Autoscaler autoscaler = new Autoscaler(AutoscalerConfig.builder().minNodes(1).maxNodes(16).schedule(SCHEDULE).build(),
                ticker, Pools.wallClock(paris("2026-01-05T08:59:00"), ticker));
        PoolState three = PoolState.of(readyNodes(3, 0, Double.NaN), HOME, 0);

        Decision before = autoscaler.decide(three);
        ticker.advance(Duration.ofMinutes(1));
        Decision office = autoscaler.decide(three);
        ticker.advance(Duration.ofHours(13));
        Decision night = autoscaler.decide(PoolState.of(readyNodes(8, 0, Double.NaN), HOME, 1000));

        assertThat(before.action()).isEqualTo(ScaleAction.HOLD);
        assertThat(office.action()).isEqualTo(ScaleAction.ADD);
        assertThat(office.count()).isEqualTo(5);
        assertThat(office.reason()).isEqualTo(ScaleReason.SCHEDULE_MIN);
        assertThat(night.action()).isEqualTo(ScaleAction.RELEASE);
        assertThat(night.count()).isEqualTo(6);
        assertThat(night.reason()).isEqualTo(ScaleReason.SCHEDULE_MAX);
        assertThat(autoscaler.bounds()).isEqualTo(new Autoscaler.Bounds(2, 2, ScaleReason.SCHEDULE_MIN, ScaleReason.SCHEDULE_MAX));
    }

    @Test
    void parsesDayNamesRangesAndAliases() {
        assertThat(ScheduleWindow.parseDays("mon-fri")).isEqualTo(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
        assertThat(ScheduleWindow.parseDays("fri-mon")).containsExactlyInAnyOrder(
                DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY, DayOfWeek.MONDAY);
        assertThat(ScheduleWindow.parseDays("Saturday, sun")).isEqualTo(ScheduleWindow.parseDays("weekends"));
        assertThat(ScheduleWindow.parseDays("daily")).hasSize(7);
        assertThatThrownBy(() -> ScheduleWindow.parseDays("mon,funday"))
                .hasMessageStartingWith("days: 'mon,funday' has 'funday' (expected: day names");
    }
}
