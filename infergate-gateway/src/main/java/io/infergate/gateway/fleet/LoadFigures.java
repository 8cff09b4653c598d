package io.infergate.gateway.fleet;

import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.Lifecycle;

import java.util.EnumMap;
import java.util.Map;

/**
 * The figures one scrape found, each a number; a figure the server does not export is absent and reads
 * as NaN. Immutable.
 *
 * <pre>{@code
 * LoadFigures figures = MetricMapping.forServerType("vllm").read(now, previous);
 * double kv = figures.get(LoadFigure.KV_CACHE_USAGE);
 * LoadFigures merged = figures.overriddenBy(gpuExporterFigures);   // DCGM's GPU figures win
 * }</pre>
 */
public final class LoadFigures {

    /** Nothing known. */
    public static final LoadFigures NONE = new LoadFigures(new EnumMap<>(LoadFigure.class));

    private final EnumMap<LoadFigure, Double> values;

    private LoadFigures(EnumMap<LoadFigure, Double> values) {
        this.values = values;
    }

    /** Figures from a map; NaN values count as absent. */
    public static LoadFigures of(Map<LoadFigure, Double> values) {
        EnumMap<LoadFigure, Double> known = new EnumMap<>(LoadFigure.class);
        values.forEach((figure, value) -> {
            if (!Double.isNaN(value)) {
                known.put(figure, value);
            }
        });
        return new LoadFigures(known);
    }

    /** The figure's value, or NaN when the scrape did not find it. */
    public double get(LoadFigure figure) {
        return values.getOrDefault(figure, Double.NaN);
    }

    public boolean has(LoadFigure figure) {
        return values.containsKey(figure);
    }

    /** These figures, with those {@code other} has taking their place. */
    public LoadFigures overriddenBy(LoadFigures other) {
        if (other.values.isEmpty()) {
            return this;
        }
        EnumMap<LoadFigure, Double> merged = new EnumMap<>(values);
        merged.putAll(other.values);
        return new LoadFigures(merged);
    }

    /**
     * A core load snapshot carrying these figures (unknown counts as -1, unknown ratios as NaN) and the
     * given bookkeeping fields.
     */
    public EndpointLoad toLoad(int inFlightAtScrape, long scrapedAtNanos, boolean stale, boolean healthy,
                               Lifecycle lifecycle) {
        return new EndpointLoad(count(LoadFigure.WAITING), count(LoadFigure.RUNNING),
                get(LoadFigure.KV_CACHE_USAGE), get(LoadFigure.PREFIX_CACHE_HIT_RATE),
                get(LoadFigure.GPU_UTILISATION), inFlightAtScrape, scrapedAtNanos, stale, healthy, lifecycle);
    }

    private int count(LoadFigure figure) {
        Double value = values.get(figure);
        return value == null ? -1 : (int) Math.round(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LoadFigures other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "LoadFigures" + values;
    }
}
