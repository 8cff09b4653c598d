package io.infergate.gateway.config;

import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.scale.HybridPool;
import io.infergate.core.scale.ScheduleWindow;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@code autoscaler:} section: what it binds to, and errors that name line, field and what was expected. */
class AutoscalerConfigTest {

    private static final String FILE = "gw.yaml";
    private static final String POOLS = """
            pools:
              - name: chat
                models: [llama-3.1-8b-instruct]
                endpoints:
                  - {url: "http://127.0.0.1:8001", region: eu-west, price_per_hour: 2.5}
            """;

    @Test
    void bindsEverySettingWithDefaultsFromThePool() throws ConfigException {
        AutoscalerSettings settings = ConfigLoader.parse(POOLS + """
                autoscaler:
                  pool: chat
                  provider: {type: command, command: ./scale.sh, timeout_ms: 5000}
                  min_nodes: 2
                  max_nodes: 16
                  queue_threshold: 6
                  target_utilisation: {low: 80, high: 90}
                  scale_up_cooldown_ms: 5000
                  scale_down_cooldown_ms: 0
                  burst_horizon_ms: 20000
                  growth_window_ms: 4000
                  max_num_seqs: 64
                  hybrid: {dedicated_min: 2, preemptible_max: 14}
                  prices: {preemptible: 0.8}
                  schedule:
                    zone: Europe/Paris
                    windows:
                      - {days: weekdays, from: "09:00", to: "18:00", min_nodes: 8}
                """, FILE, Map.of()).autoscaler().orElseThrow();

        assertThat(settings.pool()).isEqualTo("chat");
        assertThat(settings.providerType()).isEqualTo("command");
        assertThat(settings.providerSettings()).isEqualTo(Map.of("command", "./scale.sh", "timeout_ms", "5000"));
        assertThat(settings.homeRegion()).isEqualTo("eu-west");
        assertThat(settings.price(CapacityKind.DEDICATED)).isEqualTo(2.5);
        assertThat(settings.price(CapacityKind.PREEMPTIBLE)).isEqualTo(0.8);
        assertThat(settings.interval()).isEqualTo(Duration.ofSeconds(1));
        assertThat(settings.utilisationWindow()).isEqualTo(Duration.ofSeconds(10));
        assertThat(settings.maxNumSeqs()).isEqualTo(64);
        var policy = settings.policy();
        assertThat(policy.minNodes()).isEqualTo(2);
        assertThat(policy.queueThreshold()).isEqualTo(6);
        assertThat(policy.bandLow()).isEqualTo(0.8);
        assertThat(policy.bandHigh()).isEqualTo(0.9);
        assertThat(policy.scaleUpCooldown()).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.scaleDownCooldown()).isZero();
        assertThat(policy.burstHorizon()).isEqualTo(Duration.ofSeconds(20));
        assertThat(policy.growthWindow()).isEqualTo(Duration.ofSeconds(4));
        assertThat(policy.hybrid()).isEqualTo(new HybridPool(2, 14));
        assertThat(policy.schedule().zone()).isEqualTo(ZoneId.of("Europe/Paris"));
        assertThat(policy.schedule().windows()).containsExactly(new ScheduleWindow(
                EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), LocalTime.of(9, 0), LocalTime.of(18, 0), 8,
                ScheduleWindow.NO_MAX));
    }

    @Test
    void reportsEachMistakeWhereItIsWritten() {
        assertThat(ConfigValidationTest.errorsOf(POOLS + """
                autoscaler:
                  pool: chatt
                  provider: {type: kubernetes}
                  min_nodes: 4
                  max_nodes: 2
                  target_utilisation: {low: 92, high: 85}
                  schedule:
                    zone: Mars/Olympus
                    windows:
                      - {days: mon-fry, from: "9am", to: "18:00"}
                """)).containsExactly(
                new ConfigError(FILE, 8, 13, "autoscaler.provider.type", "expected one of [command, emulated], found 'kubernetes'"),
                new ConfigError(FILE, 10, 14, "autoscaler.max_nodes", "expected at least min_nodes (4), found 2"),
                new ConfigError(FILE, 11, 39, "autoscaler.target_utilisation.high", "expected more than low (92.0), found 85.0"),
                new ConfigError(FILE, 13, 11, "autoscaler.schedule.zone", "expected a time zone such as Europe/Paris or UTC, found 'Mars/Olympus'"),
                new ConfigError(FILE, 15, 16, "autoscaler.schedule.windows[0].days", "expected day names such as mon or monday, "
                        + "ranges such as mon-fri, weekdays, weekends or daily, found 'mon-fry'"),
                new ConfigError(FILE, 15, 31, "autoscaler.schedule.windows[0].from", "expected a time of day such as \"09:00\", found '9am'"));
    }

    @Test
    void aPoolThatDoesNotExistAndBadProviderSettingsAreReported() {
        assertThat(ConfigValidationTest.errorsOf(POOLS + """
                autoscaler:
                  pool: chatt
                  provider: {type: emulated, sped: 10}
                """)).extracting(ConfigError::field, ConfigError::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("autoscaler.provider",
                        "provider emulated: unknown settings [sped] (expected: [max_num_seqs, preemption_notice_ms, profile, scheduling_policy, seed, "
                                + "speed, startup_max_ms, startup_min_ms])"));
        assertThat(ConfigValidationTest.errorsOf(POOLS + """
                autoscaler:
                  pool: chatt
                  provider: {type: emulated}
                """)).extracting(ConfigError::field, ConfigError::message).containsExactly(
                org.assertj.core.groups.Tuple.tuple("autoscaler.pool", "expected one of the pool names [chat], found 'chatt'"));
    }
}
