package io.infergate.gateway.config;

import java.util.Objects;

/**
 * One problem found in a configuration file, located at the offending key or value.
 *
 * <pre>{@code
 * ConfigError error = new ConfigError("infergate.yaml", 12, 25, "pools[0].endpoints[1].price_per_hour",
 *         "expected a number >= 0, found -2.1");
 * error.toString(); // infergate.yaml:12:25: pools[0].endpoints[1].price_per_hour: expected a number >= 0, found -2.1
 * }</pre>
 *
 * @param file    the name of the file (or other source) the YAML came from
 * @param line    1-based line number
 * @param column  1-based column number
 * @param field   path of the field, e.g. {@code pools[0].endpoints[1].url}; {@code (document)} for the
 *                file as a whole and {@code (syntax)} for YAML syntax errors
 * @param message what was expected and what was found
 */
public record ConfigError(String file, int line, int column, String field, String message) {

    public ConfigError {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
        if (line < 1 || column < 1) {
            throw new IllegalArgumentException("line:column: %d:%d (expected: both >= 1)".formatted(line, column));
        }
    }

    /** {@code FILE:LINE:COL: FIELD: MESSAGE}, the form compilers use so editors can jump to it. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + field + ": " + message;
    }
}
