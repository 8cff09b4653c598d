package io.infergate.gateway.fleet;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The last figures read for every endpoint slot, from its server's page and from its GPU exporter's,
 * kept apart so that either scrape can update its own half. {@link #figures} merges them: the GPU
 * exporter's figures win over the server's (a DCGM exporter measures the GPUs; Triton's own GPU gauges
 * are a fallback). The core's {@link io.infergate.core.fleet.EndpointLoad} carries the figures the
 * scheduler uses; the GPU memory figures are read from here by the gauges. Thread-safe.
 *
 * <pre>{@code
 * ScrapedFigures scraped = new ScrapedFigures(snapshot.size());
 * scraped.update(slot, ScrapeTarget.Kind.GPU_EXPORTER, dcgmFigures);
 * double bandwidth = scraped.figures(slot).get(LoadFigure.GPU_MEMORY_BANDWIDTH);
 * }</pre>
 */
public final class ScrapedFigures {

    private record Halves(LoadFigures server, LoadFigures gpuExporter) {
        static final Halves NONE = new Halves(LoadFigures.NONE, LoadFigures.NONE);
    }

    private final CopyOnWriteArrayList<AtomicReference<Halves>> slots = new CopyOnWriteArrayList<>();

    public ScrapedFigures(int slots) {
        if (slots < 0) {
            throw new IllegalArgumentException("slots: " + slots + " (expected: >= 0)");
        }
        for (int i = 0; i < slots; i++) {
            addSlot();
        }
    }

    /** Makes room for the endpoint of a new last slot (see {@link FleetState#add}). */
    public void addSlot() {
        slots.add(new AtomicReference<>(Halves.NONE));
    }

    /** Replaces what the page of {@code kind} said about the endpoint in {@code slot}. */
    public void update(int slot, ScrapeTarget.Kind kind, LoadFigures figures) {
        slots.get(slot).updateAndGet(halves -> switch (kind) {
            case SERVER -> new Halves(figures, halves.gpuExporter());
            case GPU_EXPORTER -> new Halves(halves.server(), figures);
        });
    }

    /** Everything known about the endpoint in {@code slot}, the GPU exporter's figures first. */
    public LoadFigures figures(int slot) {
        Halves halves = slots.get(slot).get();
        return halves.server().overriddenBy(halves.gpuExporter());
    }
}
