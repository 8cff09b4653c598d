package io.infergate.loadgen.bench;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class GatewayFlowFiguresTest {

    @Test
    void readsTheQueueWaitP99BucketAndTheRejectionsByClass() {
        String metrics = """
                # TYPE infergate_flow_queue_wait_seconds histogram
                infergate_flow_queue_wait_seconds_bucket{class="critical",le="0.001"} 950
                infergate_flow_queue_wait_seconds_bucket{class="critical",le="0.01"} 985
                infergate_flow_queue_wait_seconds_bucket{class="critical",le="0.015"} 995
                infergate_flow_queue_wait_seconds_bucket{class="critical",le="+Inf"} 1000
                infergate_flow_queue_wait_seconds_bucket{class="sheddable",le="1.0"} 10
                infergate_flow_queue_wait_seconds_bucket{class="sheddable",le="+Inf"} 100
                infergate_flow_queue_wait_seconds_bucket{class="standard",le="+Inf"} 0
                infergate_flow_rejected_total{class="sheddable",reason="deadline_exceeded"} 40.0
                infergate_flow_rejected_total{class="sheddable",reason="client_gone"} 2.0
                """;

        GatewayFlowFigures figures = GatewayFlowFigures.parse(metrics);

        assertThat(figures.queueWaitP99AtMostMs()).containsExactlyInAnyOrderEntriesOf(
                Map.of("critical", 15.0, "sheddable", Double.POSITIVE_INFINITY));
        assertThat(figures.rejected()).containsExactlyInAnyOrderEntriesOf(Map.of("sheddable", 42L));
    }
}
