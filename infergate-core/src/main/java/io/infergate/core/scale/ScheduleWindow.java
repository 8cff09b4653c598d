package io.infergate.core.scale;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A recurring time window with node bounds, e.g. weekdays 09:00–18:00 at least 8 nodes. A window whose
 * end is not after its start crosses midnight: {@code 22:00–06:00} on {@code daily} covers Monday
 * 22:00 to Tuesday 06:00, and so on; {@link #days} are the days the window <em>starts</em> on. A
 * window whose start equals its end lasts the whole day.
 *
 * <pre>{@code
 * ScheduleWindow office = new ScheduleWindow(ScheduleWindow.parseDays("mon-fri"),
 *         LocalTime.of(9, 0), LocalTime.of(18, 0), 8, ScheduleWindow.NO_MAX);
 * }</pre>
 *
 * @param days     days on which the window opens
 * @param start    local time it opens, inclusive
 * @param end      local time it closes, exclusive
 * @param minNodes nodes the pool keeps at least while the window is open
 * @param maxNodes nodes the pool keeps at most while the window is open, or {@link #NO_MAX}
 */
public record ScheduleWindow(Set<DayOfWeek> days, LocalTime start, LocalTime end, int minNodes, int maxNodes) {

    public static final int NO_MAX = Integer.MAX_VALUE;

    public ScheduleWindow {
        if (days.isEmpty()) {
            throw new IllegalArgumentException("days: none (expected: at least one day)");
        }
        days = Set.copyOf(days);
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (minNodes < 0) {
            throw new IllegalArgumentException("minNodes: " + minNodes + " (expected: >= 0)");
        }
        if (maxNodes < minNodes) {
            throw new IllegalArgumentException("maxNodes: " + maxNodes + " (expected: >= minNodes, " + minNodes + ")");
        }
    }

    /** Whether the window is open at this local date and time. */
    public boolean contains(LocalDateTime local) {
        LocalTime time = local.toLocalTime();
        DayOfWeek day = local.getDayOfWeek();
        if (start.equals(end)) {
            return days.contains(day);
        }
        if (start.isBefore(end)) {
            return days.contains(day) && !time.isBefore(start) && time.isBefore(end);
        }
        return days.contains(day) && !time.isBefore(start)
                || days.contains(day.minus(1)) && time.isBefore(end);
    }

    /**
     * Days from text: comma-separated day names ({@code mon} or {@code monday}), ranges
     * ({@code mon-fri}, wrapping as in {@code fri-mon}), or {@code weekdays}, {@code weekends},
     * {@code daily}.
     *
     * @throws IllegalArgumentException naming the part that is not a day
     */
    public static Set<DayOfWeek> parseDays(String text) {
        EnumSet<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
        for (String raw : text.split(",")) {
            String part = raw.trim().toLowerCase(Locale.ROOT);
            switch (part) {
                case "daily", "every day" -> days.addAll(EnumSet.allOf(DayOfWeek.class));
                case "weekdays" -> days.addAll(EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY));
                case "weekends" -> days.addAll(EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY));
                default -> {
                    int dash = part.indexOf('-');
                    if (dash < 0) {
                        days.add(day(part, text));
                    } else {
                        DayOfWeek from = day(part.substring(0, dash).trim(), text);
                        DayOfWeek to = day(part.substring(dash + 1).trim(), text);
                        for (DayOfWeek d = from; ; d = d.plus(1)) {
                            days.add(d);
                            if (d == to) {
                                break;
                            }
                        }
                    }
                }
            }
        }
        return days;
    }

    private static DayOfWeek day(String name, String text) {
        for (DayOfWeek d : DayOfWeek.values()) {
            String full = d.name().toLowerCase(Locale.ROOT);
            if (name.length() >= 3 && full.startsWith(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("days: '" + text + "' has '" + name
                + "' (expected: day names such as mon or monday, ranges such as mon-fri, weekdays, weekends or daily)");
    }
}
