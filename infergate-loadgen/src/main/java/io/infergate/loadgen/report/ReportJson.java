package io.infergate.loadgen.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The one JSON mapper of the reports: snake_case field names ({@code throughput_rps}), indented.
 *
 * <pre>{@code
 * String json = ReportJson.MAPPER.writeValueAsString(report);
 * }</pre>
 */
public final class ReportJson {

    public static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }
}
