package io.infergate.loadgen.bench;

import io.infergate.loadgen.report.Percentiles;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrefixFiguresTest {

    @Test
    void sumsVllmPrefixCacheCountersOverLabelSets() {
        String page = """
                # HELP vllm:prefix_cache_queries_total Prefix cache queries, in terms of number of queried tokens.
                # TYPE vllm:prefix_cache_queries_total counter
                vllm:prefix_cache_queries_total{model_name="a"} 1000.0
                vllm:prefix_cache_queries_total{model_name="b"} 500.0
                vllm:prefix_cache_hits_total{model_name="a"} 600.0
                vllm:num_requests_running{model_name="a"} 3.0
                """;

        assertThat(PrefixFigures.Counters.parse(page, "a100-1")).isEqualTo(new PrefixFigures.Counters(600, 1500));
        assertThatThrownBy(() -> PrefixFigures.Counters.parse("vllm:num_requests_running 1\n", "a100-2"))
                .hasMessageContaining("a100-2: no vllm:prefix_cache_hits_total");
    }

    @Test
    void theHitRateIsOfTheTokensQueriedDuringTheRun() {
        Percentiles ttft = new Percentiles(10, 40, 35, 60, 90, 95, 99);

        PrefixFigures f = PrefixFigures.of(new PrefixFigures.Counters(100, 1000), new PrefixFigures.Counters(700, 2000), ttft);

        assertThat(f).isEqualTo(new PrefixFigures(0.6, 40, 90));
    }
}
