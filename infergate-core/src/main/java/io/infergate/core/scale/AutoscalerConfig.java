package io.infergate.core.scale;

import java.time.Duration;
import java.util.Objects;

/**
 * The knobs of the {@link Autoscaler}. The hot-plug rule's release factor (0.7) and the age past
 * which nodes are released first (24 h) are the rule's own constants, {@link Autoscaler#RELEASE_FACTOR}
 * and {@link Autoscaler#OLD_NODE_AGE}.
 *
 * <pre>{@code
 * AutoscalerConfig config = AutoscalerConfig.builder().minNodes(2).maxNodes(16).queueThreshold(4)
 *         .band(0.85, 0.92).scaleUpCooldown(Duration.ofSeconds(10)).build();
 * }</pre>
 *
 * @param minNodes            nodes the pool keeps at least
 * @param maxNodes            nodes the pool keeps at most
 * @param queueThreshold      hot-plug threshold: waiting requests per node above which a node is added
 * @param bandLow             lower edge of the target utilisation band, 0..1
 * @param bandHigh            upper edge of the target utilisation band, 0..1
 * @param burstFactor         the queue "explodes" past burstFactor × queueThreshold × nodes (its burst line):
 *                            go to max at once
 * @param burstHorizon        how far ahead the growth trigger projects a rising queue: about the time a new
 *                            node takes to serve; a queue past the threshold whose projection crosses the
 *                            burst line bursts now rather than when it gets there
 * @param growthWindow        how long the queue must have risen, and over which its growth is measured
 * @param scaleUpCooldown     least time between two load-driven adds
 * @param scaleDownCooldown   how long the pool must have been quiet (no add, no release, release
 *                            conditions holding throughout) before a release
 * @param maxReleaseStep      most nodes released by one decision
 * @param schedule            windows that raise the minimum or lower the maximum
 * @param hybrid              the mix of dedicated and preemptible nodes
 */
public record AutoscalerConfig(
        int minNodes,
        int maxNodes,
        double queueThreshold,
        double bandLow,
        double bandHigh,
        double burstFactor,
        Duration burstHorizon,
        Duration growthWindow,
        Duration scaleUpCooldown,
        Duration scaleDownCooldown,
        int maxReleaseStep,
        Schedule schedule,
        HybridPool hybrid) {

    public AutoscalerConfig {
        if (minNodes < 0) {
            throw new IllegalArgumentException("minNodes: " + minNodes + " (expected: >= 0)");
        }
        if (maxNodes < Math.max(1, minNodes)) {
            throw new IllegalArgumentException("maxNodes: " + maxNodes + " (expected: >= 1 and >= minNodes, " + minNodes + ")");
        }
        if (!(queueThreshold > 0)) {
            throw new IllegalArgumentException("queueThreshold: " + queueThreshold + " (expected: > 0)");
        }
        if (!(bandLow > 0 && bandLow < bandHigh && bandHigh <= 1)) {
            throw new IllegalArgumentException("band: " + bandLow + ".." + bandHigh + " (expected: 0 < low < high <= 1)");
        }
        if (!(burstFactor > 1)) {
            throw new IllegalArgumentException("burstFactor: " + burstFactor + " (expected: > 1)");
        }
        requireNotNegative(burstHorizon, "burstHorizon");
        if (growthWindow == null || growthWindow.isNegative() || growthWindow.isZero()) {
            throw new IllegalArgumentException("growthWindow: " + growthWindow + " (expected: > 0)");
        }
        requireNotNegative(scaleUpCooldown, "scaleUpCooldown");
        requireNotNegative(scaleDownCooldown, "scaleDownCooldown");
        if (maxReleaseStep < 1) {
            throw new IllegalArgumentException("maxReleaseStep: " + maxReleaseStep + " (expected: >= 1)");
        }
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(hybrid, "hybrid");
    }

    private static void requireNotNegative(Duration d, String name) {
        if (d == null || d.isNegative()) {
            throw new IllegalArgumentException(name + ": " + d + " (expected: >= 0)");
        }
    }

    /** The middle of the band: where a band-driven add or release aims. */
    public double bandTarget() {
        return (bandLow + bandHigh) / 2;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Builds an {@link AutoscalerConfig}. Defaults: 1–16 nodes, threshold 4 waiting per node, band
     * 85–92 %, burst at 4× the threshold or when a queue rising for 5 s would get there within 30 s,
     * 10 s scale-up and 60 s scale-down cool-downs, one node per
     * release, no schedule, dedicated nodes only.
     */
    public static final class Builder {
        private int minNodes = 1;
        private int maxNodes = 16;
        private double queueThreshold = 4;
        private double bandLow = 0.85;
        private double bandHigh = 0.92;
        private double burstFactor = 4;
        private Duration burstHorizon = Duration.ofSeconds(30);
        private Duration growthWindow = Duration.ofSeconds(5);
        private Duration scaleUpCooldown = Duration.ofSeconds(10);
        private Duration scaleDownCooldown = Duration.ofSeconds(60);
        private int maxReleaseStep = 1;
        private Schedule schedule = Schedule.NONE;
        private HybridPool hybrid = HybridPool.DEDICATED_ONLY;

        private Builder() {
        }

        public Builder minNodes(int minNodes) { this.minNodes = minNodes; return this; }
        public Builder maxNodes(int maxNodes) { this.maxNodes = maxNodes; return this; }
        public Builder queueThreshold(double queueThreshold) { this.queueThreshold = queueThreshold; return this; }
        public Builder band(double low, double high) { this.bandLow = low; this.bandHigh = high; return this; }
        public Builder burstFactor(double burstFactor) { this.burstFactor = burstFactor; return this; }
        public Builder burstHorizon(Duration d) { this.burstHorizon = d; return this; }
        public Builder growthWindow(Duration d) { this.growthWindow = d; return this; }
        public Builder scaleUpCooldown(Duration d) { this.scaleUpCooldown = d; return this; }
        public Builder scaleDownCooldown(Duration d) { this.scaleDownCooldown = d; return this; }
        public Builder maxReleaseStep(int maxReleaseStep) { this.maxReleaseStep = maxReleaseStep; return this; }
        public Builder schedule(Schedule schedule) { this.schedule = schedule; return this; }
        public Builder hybrid(HybridPool hybrid) { this.hybrid = hybrid; return this; }

        public AutoscalerConfig build() {
            return new AutoscalerConfig(minNodes, maxNodes, queueThreshold, bandLow, bandHigh, burstFactor,
                    burstHorizon, growthWindow, scaleUpCooldown, scaleDownCooldown, maxReleaseStep, schedule, hybrid);
        }
    }
}
