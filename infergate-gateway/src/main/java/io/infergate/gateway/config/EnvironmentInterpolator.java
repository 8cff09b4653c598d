package io.infergate.gateway.config;

import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${VAR}} and {@code ${VAR:-default}} in configuration values with environment
 * variables; {@code $${} writes a literal {@code ${}.
 *
 * <pre>{@code
 * new EnvironmentInterpolator(Map.of("HOST", "10.0.0.5"))
 *         .interpolate("http://${HOST}:${PORT:-8000}", problem -> {}); // "http://10.0.0.5:8000"
 * }</pre>
 */
final class EnvironmentInterpolator {

    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, String> environment;

    EnvironmentInterpolator(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * Returns {@code text} with every reference replaced; each reference that cannot be resolved is
     * described to {@code problems} and replaced by the empty string.
     */
    String interpolate(String text, Consumer<String> problems) {
        if (!text.contains("${")) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            if (text.startsWith("$${", i)) {
                out.append("${");
                i += 3;
            } else if (text.startsWith("${", i)) {
                int end = text.indexOf('}', i + 2);
                if (end < 0) {
                    problems.accept("unterminated '${' in '" + text + "' (expected: ${NAME} or ${NAME:-default})");
                    return out.toString();
                }
                out.append(resolve(text.substring(i + 2, end), problems));
                i = end + 1;
            } else {
                out.append(text.charAt(i++));
            }
        }
        return out.toString();
    }

    private String resolve(String reference, Consumer<String> problems) {
        int separator = reference.indexOf(":-");
        String name = separator < 0 ? reference : reference.substring(0, separator);
        if (!NAME.matcher(name).matches()) {
            problems.accept("expected an environment variable name in '${" + reference
                    + "}' (letters, digits and '_', not starting with a digit)");
            return "";
        }
        String value = environment.get(name);
        if (value != null) {
            return value;
        }
        if (separator >= 0) {
            return reference.substring(separator + 2);
        }
        problems.accept("environment variable " + name + " is not set (write ${" + name
                + ":-default} to give a default)");
        return "";
    }
}
