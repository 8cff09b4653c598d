package io.infergate.emulator;

import io.infergate.core.engine.SchedulingPolicy;
import io.infergate.core.scale.NodeProvider;
import io.infergate.core.scale.NodeProviderFactory;
import io.infergate.core.scale.ProviderSettings;

import java.time.Duration;
import java.util.Map;

/**
 * Makes an {@link EmulatedNodeProvider} from the configuration's {@code provider:} settings:
 * {@code speed} (1), {@code profile} (a100-llama3-8b), {@code startup_min_ms} (10000),
 * {@code startup_max_ms} (60000), {@code preemption_notice_ms} (30000), {@code seed} (42),
 * {@code max_num_seqs} (the profile's running-batch bound), {@code scheduling_policy} (fcfs, or priority as
 * vLLM's {@code --scheduling-policy priority}). Its servers
 * export vLLM's metrics and a DCGM exporter's GPU figures, so the autoscaler sees GPU utilisation.
 *
 * <pre>{@code
 * autoscaler:
 *   provider: {type: emulated, speed: 10, startup_min_ms: 10000, startup_max_ms: 25000}
 * }</pre>
 */
public final class EmulatedNodeProviderFactory implements NodeProviderFactory {

    @Override
    public String type() {
        return "emulated";
    }

    @Override
    public NodeProvider create(Map<String, String> settings) {
        ProviderSettings s = new ProviderSettings(type(), settings);
        double speed = s.number("speed", 1, 0.001, 1_000_000);
        String profile = s.text("profile", "a100-llama3-8b");
        Duration startupMin = s.millis("startup_min_ms", Duration.ofSeconds(10));
        Duration startupMax = s.millis("startup_max_ms", Duration.ofSeconds(60));
        Duration notice = s.millis("preemption_notice_ms", Duration.ofSeconds(30));
        long seed = (long) s.number("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        int maxNumSeqs = (int) s.number("max_num_seqs", 0, 0, 1_000_000);
        String schedulingPolicy = s.text("scheduling_policy", "fcfs");
        s.finish();
        EmulatorOptions template;
        try {
            EmulatorOptions.Builder builder = EmulatorOptions.builder().speed(speed).profile(profile).seed(seed).dcgm(true)
                    .schedulingPolicy(SchedulingPolicy.named(schedulingPolicy));
            template = (maxNumSeqs > 0 ? builder.maxNumSeqs(maxNumSeqs) : builder).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("provider emulated: " + e.getMessage(), e);
        }
        return new EmulatedNodeProvider(template, startupMin, startupMax, notice, seed);
    }
}
