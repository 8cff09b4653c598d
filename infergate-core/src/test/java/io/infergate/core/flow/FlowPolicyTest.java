package io.infergate.core.flow;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FlowPolicyTest {

    @Test
    void defaultsAreCriticalStandardSheddable() {
        FlowPolicy policy = FlowPolicy.defaults();

        assertThat(policy.classNames()).containsExactly("critical", "standard", "sheddable");
        assertThat(policy.rank("critical")).isZero();
        assertThat(policy.rank("nope")).isEqualTo(-1);
        assertThat(policy.priorityClass(2).sheddable()).isTrue();
        assertThat(policy.defaultClass()).isEqualTo("standard");
        assertThat(policy.weight("anyone")).isEqualTo(FlowPolicy.DEFAULT_WEIGHT);
    }

    @Test
    void invalidPoliciesSayWhatWasExpected() {
        PriorityClass a = new PriorityClass("a", 1, Duration.ZERO, false);

        assertThatThrownBy(() -> FlowPolicy.builder().classes(List.of(a, a)).defaultClass("a").build())
                .hasMessage("classes: 'a' appears twice (expected: unique names)");
        assertThatThrownBy(() -> FlowPolicy.builder().defaultClass("urgent").build())
                .hasMessage("defaultClass: 'urgent' (expected one of: critical, standard, sheddable)");
        assertThatThrownBy(() -> FlowPolicy.builder().reservedForCritical(1).build())
                .hasMessage("reservedForCritical: 1.0 (expected: >= 0 and < 1)");
        assertThatThrownBy(() -> FlowPolicy.builder().tenantWeight("t", 0).build())
                .hasMessage("tenantWeights.t: 0.0 (expected: a finite number > 0)");
        assertThatThrownBy(() -> new PriorityClass("a", -1, Duration.ZERO, false))
                .hasMessage("queueLimit of class 'a': -1 (expected: >= 0)");
    }
}
