package io.infergate.gateway.observe;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.gateway.fleet.FleetState;
import io.infergate.gateway.fleet.ScrapedFigures;
import io.infergate.gateway.observe.GatewayMetrics.Predicted;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PredictionErrorMetricTest {

    @Test
    void smallErrorsLandInTheSmallBuckets() {
        Endpoint endpoint = Endpoint.builder("a100", URI.create("http://127.0.0.1:1")).pool("p").build();
        GatewayMetrics metrics = new GatewayMetrics(new FleetState(FleetSnapshot.of(List.of(endpoint))),
                new ScrapedFigures(1), "predicted-latency", Optional.empty());

        metrics.predictionError(Predicted.TTFT, endpoint).record(4);
        metrics.predictionError(Predicted.TTFT, endpoint).record(12);
        metrics.predictionError(Predicted.TTFT, endpoint).record(70);

        String text = metrics.scrape();
        assertThat(text).contains("infergate_prediction_error_percent_bucket{endpoint=\"a100\",kind=\"ttft\",pool=\"p\",le=\"5.0\"} 1")
                .contains("infergate_prediction_error_percent_bucket{endpoint=\"a100\",kind=\"ttft\",pool=\"p\",le=\"15.0\"} 2")
                .contains("infergate_prediction_error_percent_bucket{endpoint=\"a100\",kind=\"ttft\",pool=\"p\",le=\"100.0\"} 3");
    }
}
