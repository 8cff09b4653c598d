package io.infergate.core.scale;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Node bounds that follow the clock: windows read in one time zone, the first open window wins.
 *
 * <pre>{@code
 * Schedule schedule = new Schedule(ZoneId.of("Europe/Paris"), List.of(
 *         new ScheduleWindow(ScheduleWindow.parseDays("weekdays"), LocalTime.of(9, 0), LocalTime.of(18, 0), 8, NO_MAX),
 *         new ScheduleWindow(ScheduleWindow.parseDays("daily"), LocalTime.of(22, 0), LocalTime.of(6, 0), 2, 2)));
 * Optional<ScheduleWindow> open = schedule.openAt(clock.instant());
 * }</pre>
 *
 * @param zone    the time zone the windows' times are in
 * @param windows windows in precedence order
 */
public record Schedule(ZoneId zone, List<ScheduleWindow> windows) {

    /** No windows: the configured min and max apply at all times. */
    public static final Schedule NONE = new Schedule(ZoneId.of("UTC"), List.of());

    public Schedule {
        Objects.requireNonNull(zone, "zone");
        windows = List.copyOf(windows);
    }

    /** The first window open at {@code instant}, if any. */
    public Optional<ScheduleWindow> openAt(Instant instant) {
        if (windows.isEmpty()) {
            return Optional.empty();
        }
        var local = instant.atZone(zone).toLocalDateTime();
        for (ScheduleWindow window : windows) {
            if (window.contains(local)) {
                return Optional.of(window);
            }
        }
        return Optional.empty();
    }
}
