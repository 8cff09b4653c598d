package io.infergate.emulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Each flavour's health path and metric names, over a real socket. */
class FlavorTest {

    private static final String MODEL = "llama-3.1-8b-instruct";

    @Test
    void eachFlavourAnswersItsOwnHealthPathOnly() throws Exception {
        for (Flavor flavor : Flavor.values()) {
            try (EmulatorServer server = start(EmulatorOptions.builder().flavor(flavor))) {
                String other = flavor == Flavor.TRITON ? "/health" : "/v2/health/ready";

                assertThat(TestHttp.get(server.url(), flavor.healthPath()).statusCode()).as(flavor.name()).isEqualTo(200);
                assertThat(TestHttp.get(server.url(), other).statusCode()).as(flavor + " " + other).isEqualTo(404);
            }
        }
    }

    @Test
    void whileLoadingTritonAnswers400AndTheOthers503() throws Exception {
        for (Flavor flavor : Flavor.values()) {
            try (EmulatorServer server = start(EmulatorOptions.builder().flavor(flavor)
                    .startupDelay(Duration.ofMinutes(1)))) {
                assertThat(TestHttp.get(server.url(), flavor.healthPath()).statusCode()).as(flavor.name())
                        .isEqualTo(flavor == Flavor.TRITON ? 400 : 503);
            }
        }
    }

    @Test
    void sglangPageUsesSglangNamesLabelledWithTheModel() throws Exception {
        String page = page(Flavor.SGLANG, false);

        String labels = "{model_name=\"" + MODEL + "\"}";
        assertThat(page).contains("# TYPE sglang:num_queue_reqs gauge", "sglang:num_queue_reqs" + labels + " 0.0",
                "sglang:num_running_reqs" + labels + " 0.0", "sglang:token_usage" + labels + " 0.0",
                "sglang:cache_hit_rate" + labels + " 0.0", "sglang:prompt_tokens_total" + labels + " 0.0",
                "sglang:time_to_first_token_seconds_bucket{le=\"0.1\",model_name=\"" + MODEL + "\"} 0.0");
        assertThat(page).doesNotContain("vllm:", "DCGM_");
    }

    @Test
    void tgiPageHasUnlabelledWholeNumbersAndNoHelpLines() throws Exception {
        String page = page(Flavor.TGI, false);

        assertThat(page).contains("# TYPE tgi_queue_size gauge\ntgi_queue_size 0\n", "tgi_batch_current_size 0\n",
                "tgi_request_count 0\n", "tgi_request_duration_bucket{le=\"0.00015", "tgi_request_duration_count 0\n");
        assertThat(page).doesNotContain("# HELP", "model");
    }

    @Test
    void tritonPageHasTritonsAndItsVllmBackendsFamilies() throws Exception {
        String page = page(Flavor.TRITON, false);

        String labels = "{model=\"" + MODEL + "\",version=\"1\"}";
        assertThat(page).contains("nv_inference_pending_request_count" + labels + " 0",
                "vllm:num_requests_waiting" + labels + " 0.0", "vllm:num_requests_running" + labels + " 0.0",
                "nv_gpu_memory_total_bytes{gpu_uuid=\"GPU-", "# TYPE nv_gpu_utilization gauge");
        assertThat(value(page, "nv_gpu_memory_used_bytes")).as("vLLM preallocates 90 %")
                .isEqualTo(Math.round(81_920 * 0.9) * 1024.0 * 1024.0);
    }

    @Test
    void dcgmFiguresFollowTheProfilesGpu() throws Exception {
        try (EmulatorServer server = start(EmulatorOptions.builder().profile("l4-llama3-8b").dcgm(true))) {
            String page = TestHttp.get(server.url(), "/metrics").body();

            assertThat(page).contains("vllm:num_requests_waiting", "modelName=\"NVIDIA L4\"", "DCGM_FI_PROF_DRAM_ACTIVE{");
            assertThat(value(page, "DCGM_FI_DEV_FB_USED") + value(page, "DCGM_FI_DEV_FB_FREE")).isEqualTo(23_034);
            assertThat(value(page, "DCGM_FI_DEV_GPU_UTIL")).as("idle").isZero();
        }
    }

    private static String page(Flavor flavor, boolean dcgm) throws Exception {
        try (EmulatorServer server = start(EmulatorOptions.builder().flavor(flavor).dcgm(dcgm))) {
            return TestHttp.get(server.url(), "/metrics").body();
        }
    }

    private static EmulatorServer start(EmulatorOptions.Builder options) {
        return EmulatorServer.start(options.models(List.of(MODEL)).build());
    }

    /** The value of the first sample of {@code metric}, whatever its labels. */
    private static double value(String page, String metric) {
        Matcher m = Pattern.compile("^" + Pattern.quote(metric) + "(\\{[^}]*})? (\\S+)$", Pattern.MULTILINE).matcher(page);
        assertThat(m.find()).as("%s in%n%s", metric, page).isTrue();
        return Double.parseDouble(m.group(2));
    }
}
