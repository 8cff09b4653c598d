package io.infergate.gateway.fleet;

import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.Lifecycle;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricMappingTest {

    /** An excerpt of a vLLM 0.10 /metrics page serving two models (only the lines routing reads, plus noise). */
    private static final String VLLM = """
            # HELP vllm:num_requests_running Number of requests in model execution batches.
            # TYPE vllm:num_requests_running gauge
            vllm:num_requests_running{engine="0",model_name="llama-3.1-8b-instruct"} 7.0
            vllm:num_requests_running{engine="0",model_name="llama-3.1-8b-lora"} 2.0
            # HELP vllm:num_requests_waiting Number of requests waiting to be processed.
            # TYPE vllm:num_requests_waiting gauge
            vllm:num_requests_waiting{engine="0",model_name="llama-3.1-8b-instruct"} 3.0
            # HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage.
            # TYPE vllm:kv_cache_usage_perc gauge
            vllm:kv_cache_usage_perc{engine="0",model_name="llama-3.1-8b-instruct"} 0.42
            vllm:e2e_request_latency_seconds_bucket{le="0.3",model_name="llama-3.1-8b-instruct"} 12.0
            vllm:request_success_total{finished_reason="stop",model_name="a{b}c \\"quoted\\""} 5.0 1700000000000
            """;

    @Test
    void vllmFiguresAreSummedOverModelsAndMapped() {
        EndpointLoad load = MetricMapping.forServerType("vllm")
                .toLoad(PrometheusText.sumByName(VLLM), 4, 1_000L, Lifecycle.READY);

        assertThat(load.waiting()).isEqualTo(3);
        assertThat(load.running()).isEqualTo(9);
        assertThat(load.kvCacheUsage()).isEqualTo(0.42);
        assertThat(load.inFlightAtScrape()).isEqualTo(4);
        assertThat(load.scrapedAtNanos()).isEqualTo(1_000L);
        assertThat(load.stale()).isFalse();
        assertThat(load.healthy()).isTrue();
    }

    @Test
    void olderVllmKvCacheGaugeIsReadWhenTheNewOneIsAbsent() {
        EndpointLoad load = MetricMapping.forServerType("vllm").toLoad(
                PrometheusText.sumByName("vllm:gpu_cache_usage_perc{model_name=\"m\"} 0.9\n"), 0, 0, Lifecycle.READY);

        assertThat(load.kvCacheUsage()).isEqualTo(0.9);
        assertThat(load.waiting()).as("not exported → unknown").isEqualTo(-1);
        assertThat(load.gpuUtilisation()).isNaN();
    }

    @Test
    void labelValuesWithBracesAndQuotesDoNotConfuseTheParser() {
        Map<String, Double> totals = PrometheusText.sumByName(VLLM);

        assertThat(totals).containsEntry("vllm:request_success_total", 5.0);
        assertThat(totals).doesNotContainKey("#");
    }

    @Test
    void serversWithoutMetricsAreNotScraped() {
        assertThat(MetricMapping.forServerType("openai").scrapes()).isFalse();
        assertThat(MetricMapping.forServerType("vllm").scrapes()).isTrue();
    }

    @Test
    void unknownServerTypeIsRejectedWithTheKnownOnes() {
        assertThatThrownBy(() -> MetricMapping.forServerType("nope"))
                .hasMessageContaining("nope").hasMessageContaining("vllm");
    }
}
