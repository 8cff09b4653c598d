package io.infergate.gateway.fleet;

import java.net.URI;
import java.util.Objects;

/**
 * One metrics page the gateway reads for an endpoint: the server's own, or a GPU exporter's in front
 * of the endpoint's GPUs. An endpoint may have one of each.
 *
 * <pre>{@code
 * ScrapeTarget server = ScrapeTarget.server(slot, URI.create("http://10.0.0.5:8000/metrics"), MetricMapping.forServerType("vllm"));
 * ScrapeTarget gpus = ScrapeTarget.gpuExporter(slot, URI.create("http://10.0.0.5:9400/metrics"));
 * }</pre>
 *
 * @param slot       the endpoint's slot in the fleet snapshot
 * @param metricsUrl where the page is
 * @param mapping    how its metric names map onto load figures
 * @param kind       whose page it is
 */
public record ScrapeTarget(int slot, URI metricsUrl, MetricMapping mapping, Kind kind) {

    /** Whose metrics a page has. */
    public enum Kind {
        /** The inference server's own page; its success or failure says whether the figures are fresh. */
        SERVER,
        /** A GPU exporter's page; its GPU figures take the place of those the server reports. */
        GPU_EXPORTER
    }

    public ScrapeTarget {
        if (slot < 0) {
            throw new IllegalArgumentException("slot: " + slot + " (expected: >= 0)");
        }
        Objects.requireNonNull(metricsUrl, "metricsUrl");
        Objects.requireNonNull(mapping, "mapping");
        Objects.requireNonNull(kind, "kind");
    }

    public static ScrapeTarget server(int slot, URI metricsUrl, MetricMapping mapping) {
        return new ScrapeTarget(slot, metricsUrl, mapping, Kind.SERVER);
    }

    /** A DCGM exporter's page, read with {@link MetricMapping#DCGM_EXPORTER}. */
    public static ScrapeTarget gpuExporter(int slot, URI metricsUrl) {
        return new ScrapeTarget(slot, metricsUrl, MetricMapping.DCGM_EXPORTER, Kind.GPU_EXPORTER);
    }
}
