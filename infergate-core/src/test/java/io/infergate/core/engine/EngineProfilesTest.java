package io.infergate.core.engine;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineProfilesTest {

    @Test
    void findsBuiltInProfilesByName() {
        assertThat(EngineProfiles.named("h100-llama3-8b")).isSameAs(EngineProfiles.H100_LLAMA3_8B);
        assertThat(EngineProfiles.all()).extracting(EngineProfile::name)
                .containsExactly("a100-llama3-8b", "h100-llama3-8b", "l4-llama3-8b", "a10g-mistral-7b", "instant");
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        assertThatThrownBy(() -> EngineProfiles.named("tpu"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("profile: tpu (expected one of: a100-llama3-8b, h100-llama3-8b, l4-llama3-8b, "
                        + "a10g-mistral-7b, instant)");
    }

    @Test
    void theL4DecodesAtLeastFourTimesSlowerThanTheA100() {
        long a100 = EngineProfiles.A100_LLAMA3_8B.stepNanos(1, 0);
        long l4 = EngineProfiles.L4_LLAMA3_8B.stepNanos(1, 0);

        assertThat(l4).isGreaterThanOrEqualTo(4 * a100);
    }

    @Test
    void aFixedStepIgnoresBatchAndPrefill() {
        EngineProfile fixed = EngineProfiles.A100_LLAMA3_8B.withFixedStep(Duration.ofMillis(100));

        assertThat(fixed.stepNanos(1, 0)).isEqualTo(100_000_000L);
        assertThat(fixed.stepNanos(200, 5000)).isEqualTo(100_000_000L);
    }

    @Test
    void reservationsAreWholeKvBlocks() {
        assertThat(EngineProfiles.A100_LLAMA3_8B.kvReservation(17)).isEqualTo(32);
        assertThat(EngineProfiles.A100_LLAMA3_8B.kvReservation(32)).isEqualTo(32);
    }

    @Test
    void aCacheTooSmallForOneFullLengthRequestIsRejected() {
        assertThatThrownBy(() -> EngineProfile.builder("tiny").maxModelLen(1000).kvCacheTokens(999).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("kvCacheTokens: 999 (expected: >= 1008)");
    }

    @Test
    void raisingMaxNumSeqsRaisesTheTokenBudgetWithIt() {
        EngineProfile profile = EngineProfiles.L4_LLAMA3_8B.toBuilder().maxNumSeqs(4096).build();

        assertThat(profile.maxBatchedTokens()).isEqualTo(4096);
    }
}
