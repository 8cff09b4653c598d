package io.infergate.core.schedule;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SchedulerConfigTest {

    @Test
    void defaultsWeighQueueDepthLoadCacheHeadroomAndPrefixAffinityAndPickTheMaximum() {
        // when
        SchedulerConfig config = SchedulerConfig.defaults();

        // then
        assertThat(config.scorerWeights()).containsExactly(
                Map.entry("queue-depth", 1.0), Map.entry("load", 1.0),
                Map.entry("kv-cache-headroom", 0.5), Map.entry("in-flight", 0.0), Map.entry("prefix-affinity", 1.0));
        assertThat(config.picker()).isEqualTo(Picker.MAX_SCORE);
        assertThat(SchedulerConfig.SCORER_NAMES)
                .containsExactly("queue-depth", "load", "kv-cache-headroom", "in-flight", "prefix-affinity");
    }

    @Test
    void anUnknownScorerIsRejectedWithTheKnownNames() {
        assertThatThrownBy(() -> SchedulerConfig.defaults().withWeight("latency", 1.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scorerWeights: unknown scorer 'latency' "
                        + "(expected one of: queue-depth, load, kv-cache-headroom, in-flight, prefix-affinity)");
    }

    @Test
    void aNegativeOrNonFiniteWeightIsRejected() {
        assertThatThrownBy(() -> SchedulerConfig.defaults().withWeight("load", -1))
                .hasMessage("scorerWeights.load: -1.0 (expected: a finite number >= 0)");
        assertThatThrownBy(() -> SchedulerConfig.defaults().withWeight("load", Double.NaN))
                .hasMessage("scorerWeights.load: NaN (expected: a finite number >= 0)");
    }

    @Test
    void atLeastOneScorerMustWeighSomething() {
        assertThatThrownBy(() -> new SchedulerConfig(Map.of("load", 0.0), Picker.MAX_SCORE))
                .hasMessage("scorerWeights: {load=0.0} (expected: at least one weight > 0)");
    }

    @Test
    void weighingOnlyPrefixAffinityNeedsAnIndex() {
        SchedulerConfig config = new SchedulerConfig(Map.of("prefix-affinity", 1.0), Picker.MAX_SCORE);

        assertThatThrownBy(() -> Scheduler.loadAware(config))
                .hasMessage("scorerWeights: {prefix-affinity=1.0} (expected: a weight > 0 on a scorer other than "
                        + "prefix-affinity when no PrefixIndex is given)");
    }

    @Test
    void pickersAreNamedAsInConfiguration() {
        assertThat(Picker.named("power-of-two-choices")).isEqualTo(Picker.POWER_OF_TWO_CHOICES);
        assertThatThrownBy(() -> Picker.named("random"))
                .hasMessage("picker: 'random' (expected one of: max-score, power-of-two-choices, weighted-random)");
    }

    @Test
    void schedulersAreNamedAsInConfiguration() {
        assertThat(Scheduler.named("load-aware").name()).isEqualTo("load-aware");
        assertThat(Scheduler.named("round-robin").name()).isEqualTo("round-robin");
        assertThat(Scheduler.named("least-in-flight").name()).isEqualTo("least-in-flight");
        assertThatThrownBy(() -> Scheduler.named("least-connections"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("scheduler: 'least-connections' (expected one of: load-aware, round-robin, least-in-flight)");
    }
}
