package io.infergate.core.scale;

import io.infergate.core.fleet.CapacityKind;

/**
 * How a pool mixes dedicated and preemptible nodes: the first {@code dedicatedMin} committed nodes
 * are dedicated (they carry latency-sensitive traffic and are never released below that number);
 * nodes above them are preemptible, which are cheaper but may vanish at short notice, up to
 * {@code preemptibleMax}; past that, dedicated again.
 *
 * <pre>{@code
 * HybridPool batchPool = new HybridPool(2, 14);   // 2 dedicated, then up to 14 preemptible
 * HybridPool dedicated = HybridPool.DEDICATED_ONLY;
 * }</pre>
 *
 * @param dedicatedMin   dedicated nodes the pool keeps and fills first
 * @param preemptibleMax preemptible nodes the pool may use on top
 */
public record HybridPool(int dedicatedMin, int preemptibleMax) {

    /** Every node dedicated. */
    public static final HybridPool DEDICATED_ONLY = new HybridPool(0, 0);

    public HybridPool {
        if (dedicatedMin < 0) {
            throw new IllegalArgumentException("dedicatedMin: " + dedicatedMin + " (expected: >= 0)");
        }
        if (preemptibleMax < 0) {
            throw new IllegalArgumentException("preemptibleMax: " + preemptibleMax + " (expected: >= 0)");
        }
    }

    /** The kind of the next new node, given the committed nodes of each kind. */
    public CapacityKind nextKind(int dedicated, int preemptible) {
        if (dedicated < dedicatedMin || preemptible >= preemptibleMax) {
            return CapacityKind.DEDICATED;
        }
        return CapacityKind.PREEMPTIBLE;
    }
}
