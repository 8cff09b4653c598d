package io.infergate.loadgen.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.loadgen.LoadGenerator;
import io.infergate.loadgen.ProgressListener;
import io.infergate.loadgen.TestInferenceServer;
import io.infergate.loadgen.TestInferenceServer.Behaviour;
import io.infergate.loadgen.arrival.ArrivalProcess;
import io.infergate.loadgen.scenario.RequestClass;
import io.infergate.loadgen.scenario.Scenario;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(30)
class LoadReportFilesTest {

    @TempDir
    static Path dir;
    private static LoadReportFiles.Written files;
    private static LoadReport report;

    @BeforeAll
    static void runAndWrite() {
        try (TestInferenceServer server = TestInferenceServer.start(Map.of(
                "s", new Behaviour.Stream(20, 3, 5), "a", new Behaviour.Answer(10)))) {
            Scenario scenario = new Scenario("report-test", List.of(server.url()), ArrivalProcess.poisson(50),
                    Duration.ofMillis(2500), Long.MAX_VALUE, 100, Duration.ofSeconds(5), 3, List.of(
                    RequestClass.builder("streamed <s>", "s").stream(true).build(),
                    RequestClass.builder("answered", "a").build()));
            report = LoadGenerator.run(scenario, ProgressListener.NONE);
            files = LoadReportFiles.write(report, dir.resolve("out"));
        }
    }

    @Test
    void theJsonFileParsesAndHoldsPerClassPercentilesAndTheTimeline() throws Exception {
        JsonNode json = new ObjectMapper().readTree(files.json().toFile());

        assertThat(json.path("scenario").asText()).isEqualTo("report-test");
        assertThat(json.path("classes")).hasSize(2);
        JsonNode streamed = json.path("classes").get(0);
        assertThat(streamed.path("name").asText()).isEqualTo("streamed <s>");
        for (String field : List.of("requests", "ok", "good", "errors", "dropped_by_client", "throughput_rps",
                "goodput_rps", "errors_by_kind", "status_codes", "ttft", "latency", "itl")) {
            assertThat(streamed.has(field)).as(field).isTrue();
        }
        assertThat(streamed.path("ttft").path("p99_ms").asDouble()).isPositive();
        assertThat(streamed.path("errors_by_kind").path("stream_cut").asLong()).isZero();
        assertThat(json.path("overall").path("requests").asLong()).isEqualTo(report.overall().requests());
        assertThat(json.path("timeline").size()).isGreaterThanOrEqualTo(2);
        assertThat(json.path("timeline").get(0).has("latency_p99_ms")).isTrue();
    }

    @Test
    void theHtmlPageHoldsEveryChartAsWellFormedInlineSvgAndNeedsNothingFromTheNetwork() throws Exception {
        String html = Files.readString(files.html());

        assertThat(html).startsWith("<!DOCTYPE html>").contains("streamed &lt;s&gt;");
        for (String id : List.of("chart-ttft-percentiles", "chart-latency-percentiles", "chart-latency-over-time",
                "chart-throughput-over-time")) {
            assertThat(html).contains("<svg id=\"" + id + "\"");
        }
        assertThat(html).doesNotContain("<script").doesNotContainPattern("(src|href)=\"https?:");
        Matcher svg = Pattern.compile("<svg.*?</svg>", Pattern.DOTALL).matcher(html);
        int charts = 0;
        while (svg.find()) {
            var document = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                    .parse(new ByteArrayInputStream(svg.group().getBytes(StandardCharsets.UTF_8)));
            assertThat(document.getElementsByTagName("polyline").getLength()).isPositive();
            charts++;
        }
        assertThat(charts).isEqualTo(4);
    }

    @Test
    void theTableHasARowPerClassAndOneForAll() {
        String table = LoadReportTable.render(report);

        assertThat(table).contains("streamed <s>").contains("answered").containsPattern("(?m)^all\\s+\\d+");
    }
}
