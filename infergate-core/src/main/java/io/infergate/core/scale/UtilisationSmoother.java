package io.infergate.core.scale;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Smooths each node's utilisation exponentially over a time window before the {@link Autoscaler} sees
 * it. A GPU's busy share sampled every few hundred milliseconds swings with every arrival; acting on the
 * raw figure adds a node on one spike and releases it on the next lull. Unknown figures (NaN) leave a
 * node's smoothed value as it was; a node's first figure is taken as is.
 *
 * <pre>{@code
 * UtilisationSmoother smoother = new UtilisationSmoother(Duration.ofSeconds(10));
 * double smoothed = smoother.smooth("eu-3", load.gpuUtilisation(), ticker.read());
 * smoother.retainOnly(idsStillInThePool);
 * }</pre>
 *
 * <p>Not thread-safe: one autoscaler evaluation at a time.
 */
public final class UtilisationSmoother {

    private record Smoothed(double value, long atNanos) {
    }

    private final double windowNanos;
    private final Map<String, Smoothed> nodes = new HashMap<>();

    /** @param window the time constant: a step change shows at 63 % after one window; zero turns smoothing off */
    public UtilisationSmoother(Duration window) {
        if (window.isNegative()) {
            throw new IllegalArgumentException("window: " + window + " (expected: >= 0)");
        }
        this.windowNanos = window.toNanos();
    }

    /** The node's utilisation smoothed up to {@code nowNanos}, after taking in {@code value}. */
    public double smooth(String nodeId, double value, long nowNanos) {
        Smoothed last = nodes.get(nodeId);
        if (Double.isNaN(value)) {
            return last == null ? Double.NaN : last.value();
        }
        double next = value;
        if (last != null && windowNanos > 0) {
            double weight = 1 - Math.exp(-(nowNanos - last.atNanos()) / windowNanos);
            next = last.value() + weight * (value - last.value());
        }
        nodes.put(nodeId, new Smoothed(next, nowNanos));
        return next;
    }

    /** Forgets the nodes not in {@code nodeIds}. */
    public void retainOnly(Set<String> nodeIds) {
        nodes.keySet().retainAll(nodeIds);
    }
}
