package io.infergate.loadgen.scenario;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads durations as people write them in scenarios and on the command line: {@code 500ms}, {@code 30s},
 * {@code 2m}, {@code 1h}, or a bare number of seconds ({@code 1.5}).
 *
 * <pre>{@code
 * Duration d = DurationText.parse("250ms");   // PT0.25S
 * }</pre>
 */
public final class DurationText {

    private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

    private DurationText() {
    }

    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("duration: '" + text + "' (expected: e.g. 500ms, 30s, 2m, 1h or seconds)");
        }
        double amount = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        double nanos = switch (unit) {
            case "ms" -> amount * 1e6;
            case "s" -> amount * 1e9;
            case "m" -> amount * 60e9;
            default -> amount * 3600e9;
        };
        return Duration.ofNanos(Math.round(nanos));
    }
}
