package io.infergate.loadgen.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.infergate.loadgen.report.ClassReport;
import io.infergate.loadgen.report.LoadReport;
import io.infergate.loadgen.report.Percentiles;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import static org.assertj.core.api.Assertions.assertThat;

class BenchResultsJsonTest {

    private static SystemResult result(SystemKind kind, Optional<FaultFigures> faults, Optional<PrefixFigures> prefix) {
        return result(kind, faults, prefix, Optional.empty());
    }

    private static SystemResult result(SystemKind kind, Optional<FaultFigures> faults, Optional<PrefixFigures> prefix,
                                       Optional<PredictionErrorFigures> prediction) {
        Percentiles p = new Percentiles(100, 50, 45, 80, 120, 150, 160);
        ClassReport chat = new ClassReport("chat", 100, 100, 100, 0, 0, Map.of(), Map.of("200", 100L), 10, 10, 1000, 100,
                p, p, Percentiles.EMPTY);
        LoadReport report = new LoadReport("faults", List.of("http://127.0.0.1:1"), "poisson 10/s", "now", 10, 10, 10,
                Percentiles.EMPTY, chat, List.of(chat), List.of());
        return new SystemResult(kind, report, Optional.empty(), List.of(), Optional.empty(), prediction, faults, prefix,
                Optional.empty());
    }

    @Test
    void faultsAddsAFaultsObjectToEverySystem() {
        FaultFigures recovered = new FaultFigures(0, 120, 640.5, 130, 130 / 120.0, OptionalDouble.of(2));
        FaultFigures never = new FaultFigures(37, 110, 10_000, 9_000, 9_000 / 110.0, OptionalDouble.empty());
        BenchResults results = new BenchResults("faults", true, "4× A100", "2 cores", List.of(
                result(SystemKind.INFERGATE, Optional.of(recovered), Optional.empty()),
                result(SystemKind.DIRECT, Optional.of(never), Optional.empty())), Map.of(), Optional.empty());

        JsonNode json = BenchResultsJson.toJson(results);

        JsonNode infergate = json.path("systems").path("infergate");
        assertThat(infergate.path("classes").path("chat").path("requests").asLong()).as("the usual figures stay").isEqualTo(100);
        assertThat(infergate.path("faults").toString()).isEqualTo("{\"errors\":0,\"p99_before_ms\":120.0,"
                + "\"p99_first_5s_ms\":640.5,\"p99_after_ms\":130.0,\"recovery_ratio\":1.08,\"recovery_s\":2.0}");
        assertThat(json.path("systems").path("direct").path("faults").path("recovery_s").isNull()).isTrue();
        assertThat(infergate.has("prefix")).isFalse();
    }

    @Test
    void prefixAddsAPrefixObject() {
        BenchResults results = new BenchResults("prefix", true, "4× A100", "2 cores", List.of(
                result(SystemKind.INFERGATE_NO_PREFIX, Optional.empty(), Optional.of(new PrefixFigures(0.61234, 48.123, 190)))),
                Map.of(), Optional.empty());

        JsonNode system = BenchResultsJson.toJson(results).path("systems").path("infergate-no-prefix");

        assertThat(system.path("prefix").toString())
                .isEqualTo("{\"hit_rate\":0.612,\"ttft_mean_ms\":48.12,\"ttft_p99_ms\":190.0}");
        assertThat(system.has("faults")).isFalse();
    }

    @Test
    void everyInfergateSystemGetsItsPredictionErrorsAndNullOrADashForWhatTheGatewayDidNotExport() {
        PredictionErrorFigures predicted = new PredictionErrorFigures(
                Optional.of(new PredictionErrorFigures.RelativeError(0.16251, 0.45, 200)), Optional.empty());
        PredictionErrorFigures none = new PredictionErrorFigures(Optional.empty(), Optional.empty());
        BenchResults results = new BenchResults("homogeneous", true, "4 A100s", "2 cores", List.of(
                result(SystemKind.NGINX_LC, Optional.empty(), Optional.empty()),
                result(SystemKind.INFERGATE_PREDICTED, Optional.empty(), Optional.empty(), Optional.of(predicted)),
                result(SystemKind.INFERGATE_LOAD_AWARE, Optional.empty(), Optional.empty(), Optional.of(none))),
                Map.of(), Optional.empty());

        JsonNode systems = BenchResultsJson.toJson(results).path("systems");
        String table = RatioTable.render(results);
        String html = BenchReportHtml.render(results);

        assertThat(systems.path("infergate-predicted").path("prediction").toString()).isEqualTo(
                "{\"ttft\":{\"median\":0.1625,\"within_15_percent\":0.45,\"count\":200},\"end_to_end\":null}");
        assertThat(systems.path("infergate-load-aware").path("prediction").toString())
                .isEqualTo("{\"ttft\":null,\"end_to_end\":null}");
        assertThat(systems.path("nginx-lc").has("prediction")).isFalse();
        assertThat(table).contains("prediction error (|predicted − observed| / observed")
                .containsPattern("infergate-predicted +16\\.3 % +45\\.0 % +200 +- +- +-")
                .containsPattern("infergate-load-aware +- +- +- +- +- +-")
                .doesNotContainPattern("nginx-lc +-");
        assertThat(html).contains("<h2>Prediction error</h2>", "<td>16.3 %</td>");
    }
}
