package io.infergate.gateway.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown when a configuration file is not valid; carries every problem found, not just the first.
 * {@link #getMessage()} lists them one per line as {@code FILE:LINE:COL: FIELD: MESSAGE}.
 *
 * <pre>{@code
 * try {
 *     GatewayConfig config = ConfigLoader.load(Path.of("infergate.yaml"));
 * } catch (ConfigException e) {
 *     e.errors().forEach(System.err::println);
 * }
 * }</pre>
 */
public final class ConfigException extends Exception {

    private final List<ConfigError> errors;

    public ConfigException(List<ConfigError> errors) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("errors: [] (expected: at least one error)");
        }
        this.errors = List.copyOf(errors);
    }

    /** The problems, ordered by line and column. */
    public List<ConfigError> errors() {
        return errors;
    }
}
