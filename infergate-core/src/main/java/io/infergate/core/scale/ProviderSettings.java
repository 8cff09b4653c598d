package io.infergate.core.scale;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Typed reading of a {@link NodeProviderFactory}'s text settings, with errors that name the setting and
 * what was expected; {@link #finish} rejects the settings nobody read (a misspelt key).
 *
 * <pre>{@code
 * ProviderSettings s = new ProviderSettings("emulated", settings);
 * double speed = s.number("speed", 1, 0.001, 1e6);
 * Duration min = s.millis("startup_min_ms", Duration.ofSeconds(10));
 * s.finish();
 * }</pre>
 */
public final class ProviderSettings {

    private final String type;
    private final Map<String, String> settings;
    private final Set<String> read = new HashSet<>();

    public ProviderSettings(String type, Map<String, String> settings) {
        this.type = type;
        this.settings = Map.copyOf(settings);
    }

    /** The setting's text, or {@code fallback} when absent. */
    public String text(String key, String fallback) {
        read.add(key);
        return settings.getOrDefault(key, fallback);
    }

    /** The setting's text; it must be present and not blank. */
    public String requiredText(String key) {
        String value = text(key, "");
        if (value.isBlank()) {
            throw problem(key, "missing", "a value");
        }
        return value;
    }

    /** The setting as a number in {@code [min, max]}, or {@code fallback} when absent. */
    public double number(String key, double fallback, double min, double max) {
        String value = text(key, null);
        if (value == null) {
            return fallback;
        }
        try {
            double number = Double.parseDouble(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below with what was expected
        }
        throw problem(key, value, "a number from " + min + " to " + max);
    }

    /** The setting as a whole number of milliseconds, {@code >= 0}, or {@code fallback} when absent. */
    public Duration millis(String key, Duration fallback) {
        String value = text(key, null);
        if (value == null) {
            return fallback;
        }
        try {
            long millis = Long.parseLong(value.trim());
            if (millis >= 0) {
                return Duration.ofMillis(millis);
            }
        } catch (NumberFormatException e) {
            // reported below with what was expected
        }
        throw problem(key, value, "a whole number of milliseconds >= 0");
    }

    /**
     * Rejects every setting no reader asked for.
     *
     * @throws IllegalArgumentException naming the unknown settings and the known ones
     */
    public void finish() {
        Set<String> unknown = new TreeSet<>(settings.keySet());
        unknown.removeAll(read);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("provider " + type + ": unknown settings " + unknown
                    + " (expected: " + new TreeSet<>(read) + ")");
        }
    }

    /**
     * The error for a setting a provider reads itself: {@code provider TYPE: KEY: FOUND (expected: EXPECTED)}.
     */
    public IllegalArgumentException problem(String key, String found, String expected) {
        return new IllegalArgumentException("provider " + type + ": " + key + ": " + found + " (expected: " + expected + ")");
    }
}
