package io.infergate.gateway.config;

import org.junit.jupiter.api.Test;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The section table and {@link GatewayConfig} agree, so that a section added to one and not the other fails here. */
class ConfigSectionTest {

    @Test
    void everyComponentOfTheConfigIsReadByExactlyOneSection() throws Exception {
        // every section is present and no two hold the same object (empty lists are one shared instance)
        GatewayConfig config = ConfigLoader.load(Path.of("src/test/resources/config/full.yaml"));
        assertThat(config.tenants()).isNotEmpty();
        assertThat(config.modelRoutes()).isNotEmpty();

        Map<String, List<String>> sectionsByComponent = Arrays.stream(GatewayConfig.class.getRecordComponents())
                .collect(Collectors.toMap(RecordComponent::getName, component -> Arrays.stream(ConfigSection.values())
                        .filter(section -> section.read(config) == value(component, config))
                        .map(ConfigSection::key).toList()));

        assertThat(sectionsByComponent).allSatisfy((component, sections) ->
                assertThat(sections).as("sections reading GatewayConfig.%s", component).hasSize(1));
        assertThat(ConfigSection.values()).hasSameSizeAs(GatewayConfig.class.getRecordComponents());
    }

    @Test
    void theRootKeysAreTheSectionsInTableOrder() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> ConfigLoader.parse("""
                pool:
                  - name: chat
                """, "gateway.yaml", Map.of()));

        String keys = Arrays.stream(ConfigSection.values()).map(ConfigSection::key).collect(Collectors.joining(", "));
        assertThat(e.errors()).extracting(ConfigError::message)
                .contains("unknown key; did you mean 'pools'? (expected one of: " + keys + ")");
    }

    private static Object value(RecordComponent component, GatewayConfig config) {
        try {
            return component.getAccessor().invoke(config);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
