package io.infergate.gateway.config;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EnvironmentInterpolatorTest {

    private final EnvironmentInterpolator interpolator =
            new EnvironmentInterpolator(Map.of("HOST", "10.0.0.5", "EMPTY", ""));
    private final List<String> problems = new ArrayList<>();

    @Test
    void setVariablesWinOverDefaults() {
        assertThat(interpolator.interpolate("http://${HOST:-localhost}:${PORT:-8000}", problems::add))
                .isEqualTo("http://10.0.0.5:8000");
        assertThat(problems).isEmpty();
    }

    @Test
    void aVariableSetToTheEmptyStringIsSet() {
        assertThat(interpolator.interpolate("[${EMPTY:-x}]", problems::add)).isEqualTo("[]");
    }

    @Test
    void doubledDollarWritesALiteralReference() {
        assertThat(interpolator.interpolate("$${HOST} costs $5", problems::add)).isEqualTo("${HOST} costs $5");
        assertThat(problems).isEmpty();
    }

    @Test
    void everyUnsetVariableIsReported() {
        interpolator.interpolate("${A}/${HOST}/${B}", problems::add);

        assertThat(problems).containsExactly(
                "environment variable A is not set (write ${A:-default} to give a default)",
                "environment variable B is not set (write ${B:-default} to give a default)");
    }

    @Test
    void malformedReferencesAreReported() {
        interpolator.interpolate("${1X}", problems::add);
        interpolator.interpolate("abc${HOST", problems::add);

        assertThat(problems).containsExactly(
                "expected an environment variable name in '${1X}' (letters, digits and '_', not starting with a digit)",
                "unterminated '${' in 'abc${HOST' (expected: ${NAME} or ${NAME:-default})");
    }
}
