package io.infergate.loadgen.bench;

import io.infergate.loadgen.arrival.RateProfile;
import io.infergate.loadgen.scenario.RequestClass;
import io.infergate.loadgen.scenario.Scenario;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class BenchScenarioTest {

    /** A fleet that completes 10 000 tokens a second, whatever their kind. */
    private static final BenchFleet TOKENS = new BenchFleet() {
        @Override
        public List<FleetMember> members() {
            return List.of();
        }

        @Override
        public String description() {
            return "10 000 tokens/s";
        }

        @Override
        public double capacityRps(double meanPromptTokens, double meanOutputTokens) {
            return 10_000 / (meanPromptTokens + meanOutputTokens);
        }

        @Override
        public double speed() {
            return 1;
        }

        @Override
        public void close() {
        }
    };

    @Test
    void priorityFloodsAtTwiceCapacityWithCriticalAtATenth() {
        Scenario load = BenchScenario.PRIORITY.load(false, TOKENS);

        double criticalRps = 0.1 * 10_000 / (100 + 16.0);
        double sheddableRps = 2 * 10_000 / (1000 + 400.0);
        assertThat(rate(load)).isCloseTo(criticalRps + sheddableRps, within(1e-9));
        assertThat(load.classes()).extracting(RequestClass::name).containsExactly("critical", "sheddable");
        assertThat(load.classes().get(0).share() / (criticalRps + sheddableRps))
                .isCloseTo(criticalRps / (criticalRps + sheddableRps), within(1e-9));
    }

    @Test
    void autoscaleJumpsFromATenthToOneAndAHalfTimesRatedCapacityAndFallsBackWithWholeAnswers() {
        Scenario load = BenchScenario.AUTOSCALE.load(false, TOKENS);
        AutoscalePhases phases = AutoscalePhases.of(false, TOKENS.speed());
        double capacity = 0.885 * TOKENS.capacityRps(load.meanPromptTokens(), load.meanOutputTokens());
        RateProfile profile = load.arrival().profile();

        assertThat(profile.rateAt(phases.jumpSecond() - 1)).isCloseTo(0.1 * capacity, within(1e-9));
        assertThat(profile.rateAt(phases.jumpSecond())).isCloseTo(1.5 * capacity, within(1e-9));
        assertThat(profile.rateAt(phases.fallSecond())).isCloseTo(0.1 * capacity, within(1e-9));
        assertThat(load.duration().toSeconds()).isEqualTo((long) phases.endSecond());
        assertThat(load.classes()).allSatisfy(c -> {
            assertThat(c.stream()).isFalse();
            assertThat(c.slo().ttft()).isEmpty();
        });
        assertThat(BenchScenario.AUTOSCALE.defaultSystems()).containsExactly(SystemKind.INFERGATE);
    }

    @Test
    void homogeneousSendsSteadysTrafficToFourCopiesOfTheDemoA100() {
        for (boolean quick : List.of(true, false)) {
            Scenario steady = BenchScenario.STEADY.load(quick, TOKENS);
            Scenario homogeneous = BenchScenario.HOMOGENEOUS.load(quick, TOKENS);

            assertThat(homogeneous).isEqualTo(steady);
        }
        assertThat(rate(BenchScenario.HOMOGENEOUS.load(false, TOKENS)))
                .isCloseTo(0.7 * 10_000 / (425 + 195.2), within(0.01));
        assertThat(BenchScenario.HOMOGENEOUS.fleet()).isEqualTo(new FleetSpec.Uniform(4, 5, 4, false));
        assertThat(BenchScenario.named("homogeneous").defaultSystems()).isEqualTo(BenchScenario.STEADY.defaultSystems());
        assertThat(BenchScenario.HOMOGENEOUS.warmup(false)).isEqualTo(BenchScenario.STEADY.warmup(false));
        assertThat(BenchScenario.HOMOGENEOUS.gatewayFlow(SystemKind.INFERGATE)).isEqualTo(GatewayFlow.DEFAULT);
    }

    @Test
    void priorityBaselineIsTheCriticalRequestsAloneAtTheSameRate() {
        Scenario baseline = BenchScenario.PRIORITY.baseline(false, TOKENS).orElseThrow();

        assertThat(baseline.classes()).extracting(RequestClass::name).containsExactly("critical");
        assertThat(rate(baseline)).isCloseTo(0.1 * 10_000 / (100 + 16.0), within(1e-9));
        assertThat(baseline.duration()).isEqualTo(BenchScenario.PRIORITY.load(false, TOKENS).duration());
        assertThat(BenchScenario.STEADY.baseline(false, TOKENS)).isEmpty();
    }

    @Test
    void onlyPriorityRunsInfergateWithFlowControlOffByDefault() {
        assertThat(BenchScenario.PRIORITY.defaultSystems()).contains(SystemKind.INFERGATE_NO_FLOW, SystemKind.INFERGATE_TUNED);
        assertThat(BenchScenario.STEADY.defaultSystems()).doesNotContain(SystemKind.INFERGATE_NO_FLOW)
                .contains(SystemKind.INFERGATE);
    }

    @Test
    void theSchedulerPinningSystemsRunOnlyWhenNamed() {
        for (BenchScenario scenario : BenchScenario.values()) {
            assertThat(scenario.defaultSystems()).as(scenario.label())
                    .doesNotContain(SystemKind.INFERGATE_LOAD_AWARE, SystemKind.INFERGATE_PREDICTED);
        }
        assertThat(BenchScenario.HOMOGENEOUS.defaultSystems()).contains(SystemKind.NGINX_LC, SystemKind.HAPROXY_LC,
                SystemKind.INFERGATE);
    }

    @Test
    void prefixComparesInfergateWithAndWithoutPrefixAffinityAgainstDirectAndNginx() {
        assertThat(BenchScenario.PREFIX.defaultSystems()).containsExactly(SystemKind.DIRECT, SystemKind.NGINX_LC,
                SystemKind.INFERGATE, SystemKind.INFERGATE_NO_PREFIX);
        assertThat(BenchScenario.PREFIX.measuresPrefix()).isTrue();
        assertThat(BenchScenario.PREFIX.load(true, TOKENS).classes().getFirst().conversation()).isPresent();
        assertThat(BenchScenario.PRIORITY.defaultSystems()).doesNotContain(SystemKind.INFERGATE_NO_PREFIX);
    }

    @Test
    void faultsRunsInfergateWithItsDefaultsBesideInfergateTunedLikeTheOtherProxies() {
        assertThat(BenchScenario.FAULTS.defaultSystems()).containsSubsequence(SystemKind.INFERGATE, SystemKind.INFERGATE_TUNED)
                .contains(SystemKind.NGINX_RR, SystemKind.HAPROXY_LC);
        assertThat(BenchScenario.STEADY.defaultSystems()).doesNotContain(SystemKind.INFERGATE_TUNED);
        assertThat(SystemKind.INFERGATE.tunedFailover()).isFalse();
        assertThat(SystemKind.INFERGATE_TUNED.tunedFailover()).isTrue();
        assertThat(SystemKind.INFERGATE_TUNED.isInfergate()).isTrue();
        assertThat(SystemKind.NGINX_LC.tunedFailover()).isTrue();
        assertThat(SystemKind.DIRECT.tunedFailover()).isFalse();
    }

    @Test
    void onlyFaultsPlaysFaultsAndGivesEveryProxyRetriesOnAFreshFleet() {
        assertThat(BenchScenario.FAULTS.faultPlan(false)).hasValue(
                new FaultPlan(Duration.ofSeconds(10), Duration.ofSeconds(20), 0.3));
        assertThat(BenchScenario.FAULTS.faultPlan(true).orElseThrow().returnAt())
                .isLessThan(BenchScenario.FAULTS.load(true, TOKENS).duration());
        assertThat(BenchScenario.FAULTS.failover()).isPresent();
        assertThat(BenchScenario.FAULTS.freshFleetPerSystem()).isTrue();
        assertThat(BenchScenario.FAULTS.load(false, TOKENS).classes()).allMatch(c -> !c.stream());
        assertThat(BenchScenario.STEADY.faultPlan(false)).isEmpty();
        assertThat(BenchScenario.STEADY.failover()).isEmpty();
        assertThat(BenchScenario.STEADY.freshFleetPerSystem()).isFalse();
    }

    private static double rate(Scenario scenario) {
        return ((RateProfile.Flat) scenario.arrival().profile()).rate();
    }
}
