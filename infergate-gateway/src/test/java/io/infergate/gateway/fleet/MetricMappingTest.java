package io.infergate.gateway.fleet;

import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.Lifecycle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Each server type's mapping read against a metrics page of that server (test resources under
 * {@code metrics/}, each with its source in a comment header): the figures a scheduler would see.
 */
class MetricMappingTest {

    private static final double MIB = 1024 * 1024;

    /**
     * The page of each server type (a fixture), what the scheduler's figures read from it; NaN (and -1
     * for counts) where the server does not export the figure.
     */
    static Stream<Arguments> serverPages() {
        double none = Double.NaN;
        return Stream.of(
                // type, fixture, waiting, running, KV-cache use, prefix-cache hit rate, GPU utilisation
                arguments("vllm", "vllm-0.10.1.txt", 3, 12, 0.4117, 1_612_832.0 / 2_483_200.0, none),
                arguments("vllm", "vllm-0.6.3.txt", 9, 31, 0.9732, 0.214, none),
                arguments("sglang", "sglang-0.4.6.txt", 7, 48, 0.63, 0.42, none),
                arguments("tgi", "tgi-3.0.1.txt", 4, 21, none, none, none),
                // vLLM's own queue, not Triton's empty one; Triton's GPU gauge
                arguments("triton", "triton-24.08-vllm-backend.txt", 5, 27, 0.5581, none, 0.94),
                // 3 + 2 pending over two models; the mean of two GPUs at 0.81 and 0.59
                arguments("triton", "triton-24.08-onnx.txt", 5, -1, none, none, 0.70));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("serverPages")
    void eachServerTypesPageGivesTheFiguresItExports(String serverType, String fixture, int waiting, int running,
                                                     double kvCacheUsage, double prefixCacheHitRate,
                                                     double gpuUtilisation) {
        EndpointLoad load = firstScrape(serverType, fixture).toLoad(4, 1_000L, false, true, Lifecycle.READY);

        assertThat(load.waiting()).as("waiting").isEqualTo(waiting);
        assertThat(load.running()).as("running").isEqualTo(running);
        assertFigure("KV-cache use", load.kvCacheUsage(), kvCacheUsage);
        assertFigure("prefix-cache hit rate", load.prefixCacheHitRate(), prefixCacheHitRate);
        assertFigure("GPU utilisation", load.gpuUtilisation(), gpuUtilisation);
        assertThat(load.inFlightAtScrape()).isEqualTo(4);
        assertThat(load.scrapedAtNanos()).isEqualTo(1_000L);
    }

    @Test
    void sglangPagesThatExportTheRunningLimitGiveTheBatchLimit() {
        // the gauge as SGLang's production-metrics page showed it before later versions dropped it
        MetricSamples page = PrometheusText.parse("""
                # HELP sglang:max_running_requests Maximum running requests
                # TYPE sglang:max_running_requests gauge
                sglang:max_running_requests{name="google/gemma-2-9b-it"} 4097.0
                """);

        assertThat(MetricMapping.forServerType("sglang").read(page, MetricSamples.NONE).get(LoadFigure.BATCH_LIMIT))
                .isEqualTo(4097.0);
        assertThat(firstScrape("sglang", "sglang-0.4.6.txt").has(LoadFigure.BATCH_LIMIT)).isFalse();
        assertThat(firstScrape("vllm", "vllm-0.10.1.txt").has(LoadFigure.BATCH_LIMIT)).isFalse();
    }

    @Test
    void tritonReportsItsGpusMemory() {
        LoadFigures vllmBackend = firstScrape("triton", "triton-24.08-vllm-backend.txt");
        LoadFigures onnx = firstScrape("triton", "triton-24.08-onnx.txt");

        assertThat(vllmBackend.get(LoadFigure.GPU_FRAMEBUFFER_USED_BYTES)).isEqualTo(79_779_250_176.0);
        assertThat(vllmBackend.get(LoadFigure.GPU_FRAMEBUFFER_USAGE))
                .isCloseTo(79_779_250_176.0 / 85_899_345_920.0, within(1e-12));
        assertThat(onnx.get(LoadFigure.GPU_FRAMEBUFFER_USAGE))
                .isCloseTo((4_617_089_843.0 + 3_328_599_654.0) / (2 * 16_106_127_360.0), within(1e-12));
    }

    @Test
    void dcgmExporterGivesUtilisationBandwidthAndFramebufferOverAllGpus() {
        LoadFigures figures = MetricMapping.DCGM_EXPORTER.read(fixture("dcgm-exporter-3.3.9.txt"), MetricSamples.NONE);

        assertThat(figures.get(LoadFigure.GPU_UTILISATION)).as("mean of 92 % and 78 %").isCloseTo(0.85, within(1e-12));
        assertThat(figures.get(LoadFigure.GPU_MEMORY_BANDWIDTH)).as("mean DRAM activity")
                .isCloseTo((0.712310 + 0.547690) / 2, within(1e-12));
        assertThat(figures.get(LoadFigure.GPU_FRAMEBUFFER_USED_BYTES)).isEqualTo(2 * 73_112 * MIB);
        assertThat(figures.get(LoadFigure.GPU_FRAMEBUFFER_USAGE)).isCloseTo(73_112.0 / (73_112 + 7_924), within(1e-12));
        assertThat(figures.has(LoadFigure.WAITING)).isFalse();
    }

    @Test
    void dcgmWithoutProfilingFieldsFallsBackToMemoryCopyUtilisation() {
        LoadFigures figures = MetricMapping.DCGM_EXPORTER.read(PrometheusText.parse("""
                DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-1"} 40
                DCGM_FI_DEV_MEM_COPY_UTIL{gpu="0",UUID="GPU-1"} 25
                """), MetricSamples.NONE);

        assertThat(figures.get(LoadFigure.GPU_MEMORY_BANDWIDTH)).isEqualTo(0.25);
    }

    @Test
    void ollamaAndPlainOpenAiServersAreNotScrapedAndTheirPagesSayNothing() {
        MetricSamples notFound = fixture("ollama-0.5.7.txt");

        assertThat(MetricMapping.forServerType("ollama").scrapes()).isFalse();
        assertThat(MetricMapping.forServerType("openai").scrapes()).isFalse();
        assertThat(MetricMapping.forServerType("vllm").scrapes()).isTrue();
        assertThat(notFound.series("404")).isZero();
        assertThat(MetricMapping.forServerType("ollama").read(notFound, MetricSamples.NONE)).isEqualTo(LoadFigures.NONE);
    }

    @Test
    void counterRatioFollowsTheIncreaseSinceThePreviousScrape() {
        MetricMapping vllm = MetricMapping.forServerType("vllm");
        MetricSamples before = prefixCounters(1_000, 900);
        MetricSamples now = prefixCounters(1_400, 920); // 400 tokens queried since, 20 hit

        assertThat(vllm.read(now, before).get(LoadFigure.PREFIX_CACHE_HIT_RATE)).isEqualTo(0.05);
    }

    @Test
    void counterRatioFallsBackToTotalsWhenIdleOrReset() {
        MetricMapping vllm = MetricMapping.forServerType("vllm");

        assertThat(vllm.read(prefixCounters(1_000, 900), prefixCounters(1_000, 900))
                .get(LoadFigure.PREFIX_CACHE_HIT_RATE)).as("idle").isEqualTo(0.9);
        assertThat(vllm.read(prefixCounters(100, 25), prefixCounters(1_000, 900))
                .get(LoadFigure.PREFIX_CACHE_HIT_RATE)).as("restarted").isEqualTo(0.25);
        assertThat(vllm.read(prefixCounters(0, 0), MetricSamples.NONE).has(LoadFigure.PREFIX_CACHE_HIT_RATE))
                .as("nothing queried yet").isFalse();
    }

    @Test
    void countsAreSummedAndRatiosAveragedOverDataParallelEngines() {
        LoadFigures figures = MetricMapping.forServerType("vllm").read(PrometheusText.parse("""
                vllm:num_requests_waiting{model_name="m",engine="0"} 2.0
                vllm:num_requests_waiting{model_name="m",engine="1"} 5.0
                vllm:kv_cache_usage_perc{model_name="m",engine="0"} 0.2
                vllm:kv_cache_usage_perc{model_name="m",engine="1"} 0.6
                """), MetricSamples.NONE);

        assertThat(figures.get(LoadFigure.WAITING)).isEqualTo(7);
        assertThat(figures.get(LoadFigure.KV_CACHE_USAGE)).isCloseTo(0.4, within(1e-12));
    }

    @Test
    void labelValuesWithBracesAndQuotesDoNotConfuseTheParser() {
        MetricSamples samples = PrometheusText.parse("""
                # HELP x a comment with {braces} 12
                vllm:request_success_total{finished_reason="stop",model_name="a{b}c \\"quoted\\""} 5.0 1700000000000
                vllm:num_requests_running{model_name="m"} NaN
                vllm:e2e_request_latency_seconds_bucket{le="+Inf",model_name="m"} 12.0
                """);

        assertThat(samples.sum("vllm:request_success_total")).isEqualTo(5.0);
        assertThat(samples.contains("vllm:num_requests_running")).as("NaN samples are skipped").isFalse();
        assertThat(samples.sum("vllm:e2e_request_latency_seconds_bucket")).isEqualTo(12.0);
        assertThat(samples.contains("#")).isFalse();
    }

    @Test
    void theGpuExportersFiguresWinAndAFailedExporterLetsTheServersShowAgain() {
        ScrapedFigures scraped = new ScrapedFigures(2);
        scraped.update(1, ScrapeTarget.Kind.SERVER, firstScrape("triton", "triton-24.08-vllm-backend.txt"));
        scraped.update(1, ScrapeTarget.Kind.GPU_EXPORTER,
                MetricMapping.DCGM_EXPORTER.read(fixture("dcgm-exporter-3.3.9.txt"), MetricSamples.NONE));

        assertThat(scraped.figures(1).get(LoadFigure.GPU_UTILISATION)).as("DCGM's").isCloseTo(0.85, within(1e-12));
        assertThat(scraped.figures(1).get(LoadFigure.RUNNING)).as("the server's").isEqualTo(27);
        assertThat(scraped.figures(0)).isEqualTo(LoadFigures.NONE);

        scraped.update(1, ScrapeTarget.Kind.GPU_EXPORTER, LoadFigures.NONE);

        assertThat(scraped.figures(1).get(LoadFigure.GPU_UTILISATION)).as("Triton's own").isEqualTo(0.94);
        assertThat(scraped.figures(1).has(LoadFigure.GPU_MEMORY_BANDWIDTH)).isFalse();
    }

    @Test
    void unknownServerTypeIsRejectedWithTheKnownOnes() {
        assertThatThrownBy(() -> MetricMapping.forServerType("nope"))
                .hasMessageContaining("nope").hasMessageContaining("vllm");
    }

    private static void assertFigure(String name, double actual, double expected) {
        if (Double.isNaN(expected)) {
            assertThat(actual).as(name + ": not exported").isNaN();
        } else {
            assertThat(actual).as(name).isCloseTo(expected, within(1e-12));
        }
    }

    private static MetricSamples prefixCounters(long queries, long hits) {
        return PrometheusText.parse("vllm:prefix_cache_queries_total{model_name=\"m\"} " + queries + "\n"
                + "vllm:prefix_cache_hits_total{model_name=\"m\"} " + hits + "\n");
    }

    private static LoadFigures firstScrape(String serverType, String fixture) {
        return MetricMapping.forServerType(serverType).read(fixture(fixture), MetricSamples.NONE);
    }

    /** A page under {@code src/test/resources/metrics/}. */
    static MetricSamples fixture(String name) {
        try (InputStream in = MetricMappingTest.class.getResourceAsStream("/metrics/" + name)) {
            assertThat(in).as("fixture metrics/%s", name).isNotNull();
            return PrometheusText.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
