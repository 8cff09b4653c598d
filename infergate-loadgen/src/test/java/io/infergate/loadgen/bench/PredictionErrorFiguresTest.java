package io.infergate.loadgen.bench;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class PredictionErrorFiguresTest {

    /**
     * Two endpoints' TTFT errors and one endpoint's end-to-end errors, as Micrometer's Prometheus registry
     * renders a DistributionSummary with these buckets (labels sorted by name; one endpoint written with
     * {@code kind} first, as any order must do).
     */
    private static final String METRICS = """
            # HELP infergate_prediction_error_percent 100 x |predicted - observed| / observed
            # TYPE infergate_prediction_error_percent histogram
            infergate_prediction_error_percent_bucket{endpoint="a100-1",kind="ttft",pool="bench",le="2.0"} 10
            infergate_prediction_error_percent_bucket{endpoint="a100-1",kind="ttft",pool="bench",le="5.0"} 30
            infergate_prediction_error_percent_bucket{endpoint="a100-1",kind="ttft",pool="bench",le="10.0"} 50
            infergate_prediction_error_percent_bucket{endpoint="a100-1",kind="ttft",pool="bench",le="15.0"} 60
            infergate_prediction_error_percent_bucket{endpoint="a100-1",kind="ttft",pool="bench",le="20.0"} 70
            infergate_prediction_error_percent_bucket{endpoint="a100-1",kind="ttft",pool="bench",le="30.0"} 80
            infergate_prediction_error_percent_bucket{endpoint="a100-1",kind="ttft",pool="bench",le="50.0"} 90
            infergate_prediction_error_percent_bucket{endpoint="a100-1",kind="ttft",pool="bench",le="100.0"} 95
            infergate_prediction_error_percent_bucket{endpoint="a100-1",kind="ttft",pool="bench",le="200.0"} 100
            infergate_prediction_error_percent_bucket{endpoint="a100-1",kind="ttft",pool="bench",le="500.0"} 100
            infergate_prediction_error_percent_bucket{endpoint="a100-1",kind="ttft",pool="bench",le="+Inf"} 100
            infergate_prediction_error_percent_count{endpoint="a100-1",kind="ttft",pool="bench"} 100
            infergate_prediction_error_percent_sum{endpoint="a100-1",kind="ttft",pool="bench"} 2150
            infergate_prediction_error_percent_bucket{kind="ttft",endpoint="l4-1",pool="bench",le="2.0"} 0
            infergate_prediction_error_percent_bucket{kind="ttft",endpoint="l4-1",pool="bench",le="5.0"} 10
            infergate_prediction_error_percent_bucket{kind="ttft",endpoint="l4-1",pool="bench",le="10.0"} 30
            infergate_prediction_error_percent_bucket{kind="ttft",endpoint="l4-1",pool="bench",le="15.0"} 30
            infergate_prediction_error_percent_bucket{kind="ttft",endpoint="l4-1",pool="bench",le="20.0"} 60
            infergate_prediction_error_percent_bucket{kind="ttft",endpoint="l4-1",pool="bench",le="30.0"} 80
            infergate_prediction_error_percent_bucket{kind="ttft",endpoint="l4-1",pool="bench",le="50.0"} 90
            infergate_prediction_error_percent_bucket{kind="ttft",endpoint="l4-1",pool="bench",le="100.0"} 100
            infergate_prediction_error_percent_bucket{kind="ttft",endpoint="l4-1",pool="bench",le="200.0"} 100
            infergate_prediction_error_percent_bucket{kind="ttft",endpoint="l4-1",pool="bench",le="500.0"} 100
            infergate_prediction_error_percent_bucket{kind="ttft",endpoint="l4-1",pool="bench",le="+Inf"} 100
            infergate_prediction_error_percent_count{kind="ttft",endpoint="l4-1",pool="bench"} 100
            infergate_prediction_error_percent_sum{kind="ttft",endpoint="l4-1",pool="bench"} 2500
            infergate_prediction_error_percent_bucket{endpoint="a100-1",kind="end_to_end",pool="bench",le="2.0"} 5
            infergate_prediction_error_percent_bucket{endpoint="a100-1",kind="end_to_end",pool="bench",le="5.0"} 16
            infergate_prediction_error_percent_bucket{endpoint="a100-1",kind="end_to_end",pool="bench",le="10.0"} 40
            infergate_prediction_error_percent_bucket{endpoint="a100-1",kind="end_to_end",pool="bench",le="15.0"} 40
            infergate_prediction_error_percent_bucket{endpoint="a100-1",kind="end_to_end",pool="bench",le="+Inf"} 40
            infergate_prediction_error_percent_count{endpoint="a100-1",kind="end_to_end",pool="bench"} 40
            infergate_prediction_error_percent_max{endpoint="a100-1",kind="end_to_end",pool="bench"} 9
            infergate_flow_queue_wait_seconds_bucket{class="standard",le="+Inf"} 240
            """;

    @Test
    void theMedianIsInterpolatedWithinTheBucketOfTheBucketsSummedOverEndpoints() {
        PredictionErrorFigures figures = PredictionErrorFigures.parse(METRICS);

        // TTFT summed: 90 of 200 at most 0.15, 130 at most 0.2; the 100th lies 10/40 into (0.15, 0.2]
        PredictionErrorFigures.RelativeError ttft = figures.ttft().orElseThrow();
        assertThat(ttft.median()).isCloseTo(0.15 + 0.05 * 10 / 40, within(1e-9));
        assertThat(ttft.shareWithin()).isCloseTo(90 / 200.0, within(1e-9));
        assertThat(ttft.count()).isEqualTo(200);
        // end to end: 16 of 40 at most 0.05, 40 at most 0.1; the 20th lies 4/24 into (0.05, 0.1]
        PredictionErrorFigures.RelativeError endToEnd = figures.endToEnd().orElseThrow();
        assertThat(endToEnd.median()).isCloseTo(0.05 + 0.05 * 4 / 24, within(1e-9));
        assertThat(endToEnd.shareWithin()).isEqualTo(1.0);
        assertThat(endToEnd.count()).isEqualTo(40);
    }

    @Test
    void aMedianBeyondTheLastFiniteBucketIsThatBucketsBound() {
        String metrics = """
                infergate_prediction_error_percent_bucket{endpoint="l4-1",kind="ttft",pool="bench",le="200.0"} 1
                infergate_prediction_error_percent_bucket{endpoint="l4-1",kind="ttft",pool="bench",le="500.0"} 2
                infergate_prediction_error_percent_bucket{endpoint="l4-1",kind="ttft",pool="bench",le="+Inf"} 10
                """;

        PredictionErrorFigures.RelativeError ttft = PredictionErrorFigures.parse(metrics).ttft().orElseThrow();

        assertThat(ttft.median()).isEqualTo(5.0);
        // without a 0.15 bound, the share is interpolated within (0, 2.0] like the median
        assertThat(ttft.shareWithin()).isCloseTo(0.15 / 2.0 * 1 / 10, within(1e-9));
    }

    @Test
    void aGatewayWithoutPredictionsGivesNoFigures() {
        String loadAware = """
                # TYPE infergate_flow_queue_wait_seconds histogram
                infergate_flow_queue_wait_seconds_bucket{class="standard",le="+Inf"} 240
                infergate_requests_total{pool="bench",outcome="ok"} 240.0
                """;
        String noObservationsYet = """
                infergate_prediction_error_percent_bucket{endpoint="a100-1",kind="ttft",pool="bench",le="15.0"} 0
                infergate_prediction_error_percent_bucket{endpoint="a100-1",kind="ttft",pool="bench",le="+Inf"} 0
                """;

        assertThat(PredictionErrorFigures.parse(loadAware)).isEqualTo(new PredictionErrorFigures(
                Optional.empty(), Optional.empty()));
        assertThat(PredictionErrorFigures.parse(noObservationsYet).ttft()).isEmpty();
        assertThat(PredictionErrorFigures.parse("")).isEqualTo(PredictionErrorFigures.parse(loadAware));
    }
}
