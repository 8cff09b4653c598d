package io.infergate.gateway.config;

import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.scale.AutoscalerConfig;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code autoscaler:} section: which pool the gateway scales, through which node provider, and the
 * core policy's knobs.
 *
 * <pre>{@code
 * autoscaler:
 *   pool: chat
 *   run_in: gateway                # or external: ./infergate autoscale runs it
 *   provider: {type: emulated, speed: 10}
 *   min_nodes: 2
 *   max_nodes: 16
 *   queue_threshold: 4
 *   utilisation_window_ms: 10000
 *   max_num_seqs: 256
 *   target_utilisation: {low: 85, high: 92}
 *   hybrid: {dedicated_min: 2, preemptible_max: 14}
 *   prices: {dedicated: 2.10, preemptible: 0.80}
 *   schedule:
 *     zone: Europe/Paris
 *     windows:
 *       - {days: weekdays, from: "09:00", to: "18:00", min_nodes: 8}
 *       - {days: daily, from: "22:00", to: "06:00", min_nodes: 2, max_nodes: 2}
 * }</pre>
 *
 * @param pool             name of the pool scaled
 * @param providerType     node provider type, e.g. {@code emulated} or {@code command}
 * @param providerSettings the provider's other settings, as text
 * @param policy           the core autoscaler's configuration
 * @param interval         how often the autoscaler evaluates
 * @param utilisationWindow time constant over which each node's utilisation is smoothed
 * @param maxNumSeqs       the nodes' running-batch bound (vLLM {@code --max-num-seqs}); when known (above
 *                         0) a node's utilisation is the larger of its batch occupancy and its KV-cache use,
 *                         else its GPU utilisation (or KV-cache use when that is unknown)
 * @param homeRegion       region new nodes go to first; empty for the region of the pool's first endpoint
 * @param dedicatedPrice   what a new dedicated node costs per hour, in dollars
 * @param preemptiblePrice what a new preemptible node costs per hour, in dollars
 * @param runIn            which process runs the autoscaler: the gateway, or {@code infergate autoscale}
 */
public record AutoscalerSettings(String pool, String providerType, Map<String, String> providerSettings,
                                 AutoscalerConfig policy, Duration interval, Duration utilisationWindow, int maxNumSeqs,
                                 String homeRegion,
                                 double dedicatedPrice, double preemptiblePrice, AutoscalerHost runIn) {

    public AutoscalerSettings {
        Objects.requireNonNull(pool, "pool");
        Objects.requireNonNull(providerType, "providerType");
        providerSettings = Map.copyOf(providerSettings);
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(utilisationWindow, "utilisationWindow");
        if (maxNumSeqs < 0) {
            throw new IllegalArgumentException("maxNumSeqs: " + maxNumSeqs + " (expected: >= 0, 0 for unknown)");
        }
        Objects.requireNonNull(homeRegion, "homeRegion");
        Objects.requireNonNull(runIn, "runIn");
    }

    /** The configured price per hour of a new node of {@code kind}. */
    public double price(CapacityKind kind) {
        return kind == CapacityKind.PREEMPTIBLE ? preemptiblePrice : dedicatedPrice;
    }
}
