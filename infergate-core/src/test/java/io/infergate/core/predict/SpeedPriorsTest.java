package io.infergate.core.predict;

import io.infergate.core.engine.EngineProfiles;
import io.infergate.core.fleet.Accelerator;
import io.infergate.core.fleet.Endpoint;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.OptionalDouble;

import static io.infergate.core.predict.TestEndpoints.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class SpeedPriorsTest {

    @Test
    void anA100ServingAnEightBillionModelHasThePublishedSpeeds() {
        // when
        EndpointSpeeds a100 = EndpointSpeeds.of(SpeedPriors.forEndpoint(endpoint("a", "NVIDIA_A100")));

        // then about 100 tokens/s for one stream and about 10 000 prompt tokens/s
        assertThat(a100.decodeTokensPerSecond()).isBetween(90.0, 110.0);
        assertThat(a100.prefillTokensPerSecond()).isBetween(9_000.0, 11_000.0);
        assertThat(a100.prior().maxBatch()).isEqualTo(256);
        assertThat(a100.prior().source()).isEqualTo("NVIDIA A100 x1, 8B parameters");
    }

    @Test
    void anEndpointNamingAnEngineProfileStartsFromItsMeasuredSpeeds() {
        // given an A100 endpoint that names the L4 profile
        Endpoint endpoint = Endpoint.builder("e", URI.create("http://127.0.0.1:8000"))
                .accelerator(new Accelerator("NVIDIA_A100", 1)).engineProfile("l4-llama3-8b").build();

        // when
        SpeedPrior prior = SpeedPriors.forEndpoint(endpoint);

        // then the profile wins over the accelerator
        assertThat(prior).isEqualTo(SpeedPrior.of(EngineProfiles.L4_LLAMA3_8B));
        assertThat(prior.source()).isEqualTo("engine profile l4-llama3-8b");
    }

    @Test
    void fasterAcceleratorsHaveFasterPriors() {
        // when
        List<SpeedPrior> priors = List.of("NVIDIA_H100", "NVIDIA_A100", "NVIDIA_A10G", "NVIDIA_L4").stream()
                .map(type -> SpeedPriors.forEndpoint(endpoint(type, type)))
                .toList();

        // then fastest first, by prefill and by decode step
        assertThat(priors).extracting(SpeedPrior::prefillNanosPerToken).isSorted();
        assertThat(priors).extracting(SpeedPrior::stepBaseNanos).isSorted();
        // an L4 prefills about 2.6 times slower than an A100 and decodes about 7 times slower
        assertThat(priors.get(3).prefillNanosPerToken() / priors.get(1).prefillNanosPerToken()).isBetween(2.0, 3.0);
        assertThat(priors.get(3).stepBaseNanos() / priors.get(1).stepBaseNanos()).isBetween(6.0, 7.5);
    }

    @Test
    void moreDevicesAndSmallerModelsAreFaster() {
        // when
        SpeedPrior one = SpeedPriors.of(new Accelerator("NVIDIA_A100", 1), 8);
        SpeedPrior two = SpeedPriors.of(new Accelerator("NVIDIA_A100", 2), 8);
        SpeedPrior seventy = SpeedPriors.of(new Accelerator("NVIDIA_A100", 4), 70);

        // then two devices are 1.8 times as fast, not twice
        assertThat(one.stepBaseNanos() / two.stepBaseNanos()).isCloseTo(1.8, within(1e-9));
        assertThat(seventy.stepBaseNanos()).isGreaterThan(one.stepBaseNanos());
        assertThat(seventy.source()).isEqualTo("NVIDIA A100 x4, 70B parameters");
    }

    @Test
    void readsTheModelSizeFromItsName() {
        assertThat(SpeedPriors.modelBillions("llama-3.1-8b-instruct")).hasValue(8);
        assertThat(SpeedPriors.modelBillions("Meta-Llama-3.1-70B-Instruct")).hasValue(70);
        assertThat(SpeedPriors.modelBillions("qwen2.5-0.5b")).hasValue(0.5);
        assertThat(SpeedPriors.modelBillions("mixtral-8x7b")).isEqualTo(OptionalDouble.empty());
        assertThat(SpeedPriors.modelBillions("gpt-4o")).isEqualTo(OptionalDouble.empty());
    }

    @Test
    void anUnknownAcceleratorStartsAsAnA100() {
        assertThat(SpeedPriors.of(new Accelerator("none", 0), 8).stepBaseNanos())
                .isEqualTo(SpeedPriors.of(new Accelerator("NVIDIA_A100", 1), 8).stepBaseNanos());
        assertThat(SpeedPriors.of(Accelerator.NONE, 8).source()).startsWith("unknown accelerator");
    }

    @Test
    void anEngineProfileGivesItsOwnFigures() {
        // when
        SpeedPrior l4 = SpeedPrior.of(EngineProfiles.L4_LLAMA3_8B);

        // then its costs, and the batch its 30 000-token KV cache holds at 1 024 tokens a sequence
        assertThat(l4.prefillNanosPerToken()).isEqualTo(265_000);
        assertThat(l4.stepNanos(1)).isEqualTo(67_500_000);
        assertThat(l4.maxBatch()).isEqualTo(29);
    }

    @Test
    void rejectsANonPositiveModelSize() {
        assertThatThrownBy(() -> SpeedPriors.of(Accelerator.NONE, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("billions: 0.0 (expected: a finite number > 0)");
    }
}
