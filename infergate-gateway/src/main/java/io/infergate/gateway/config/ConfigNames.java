package io.infergate.gateway.config;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** How enum constants are spelled in the configuration file: {@code LOAD_AWARE} is {@code load-aware}. */
final class ConfigNames {

    private ConfigNames() {
    }

    static String of(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static List<String> of(Enum<?>[] constants) {
        return Arrays.stream(constants).map(ConfigNames::of).toList();
    }
}
