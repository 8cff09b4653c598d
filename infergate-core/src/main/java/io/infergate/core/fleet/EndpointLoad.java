package io.infergate.core.fleet;

/**
 * A snapshot of how busy one endpoint is, as last read from the server's own metrics.
 * Figures the server does not export are {@link Double#NaN} (ratios) or {@code -1} (counts);
 * scorers treat unknown figures as neutral.
 *
 * <p>The gateway's own live in-flight count is not part of this record: it changes on every request
 * and is read through {@link InFlight} at pick time. {@link #inFlightAtScrape} is the gateway's count
 * when the scrape was taken, so a scorer can add only what the gateway sent <em>since</em> the scrape
 * to the server's queue figures instead of counting the same requests twice.
 *
 * @param waiting            requests queued on the server ({@code vllm:num_requests_waiting})
 * @param running            requests being decoded ({@code vllm:num_requests_running})
 * @param kvCacheUsage       KV-cache use, 0..1
 * @param prefixCacheHitRate prefix-cache hit rate, 0..1
 * @param gpuUtilisation     GPU utilisation, 0..1
 * @param inFlightAtScrape   the gateway's in-flight count for the endpoint when the scrape completed
 * @param scrapedAtNanos     {@link io.infergate.core.time.Ticker} time of the scrape
 * @param stale              true when the last scrape failed or is too old; figures are then the last known
 * @param healthy            false when the endpoint failed health checks (refused connections, probes)
 * @param lifecycle          starting, ready or draining
 */
public record EndpointLoad(
        int waiting,
        int running,
        double kvCacheUsage,
        double prefixCacheHitRate,
        double gpuUtilisation,
        int inFlightAtScrape,
        long scrapedAtNanos,
        boolean stale,
        boolean healthy,
        Lifecycle lifecycle) {

    /** Nothing known yet: a new endpoint before its first scrape, assumed healthy and ready. */
    public static final EndpointLoad UNKNOWN =
            new EndpointLoad(-1, -1, Double.NaN, Double.NaN, Double.NaN, 0, 0L, true, true, Lifecycle.READY);

    public boolean acceptsRequests() {
        return healthy && lifecycle == Lifecycle.READY;
    }

    public EndpointLoad withHealthy(boolean healthy) {
        return new EndpointLoad(waiting, running, kvCacheUsage, prefixCacheHitRate, gpuUtilisation,
                inFlightAtScrape, scrapedAtNanos, stale, healthy, lifecycle);
    }

    public EndpointLoad withStale(boolean stale) {
        return new EndpointLoad(waiting, running, kvCacheUsage, prefixCacheHitRate, gpuUtilisation,
                inFlightAtScrape, scrapedAtNanos, stale, healthy, lifecycle);
    }

    public EndpointLoad withLifecycle(Lifecycle lifecycle) {
        return new EndpointLoad(waiting, running, kvCacheUsage, prefixCacheHitRate, gpuUtilisation,
                inFlightAtScrape, scrapedAtNanos, stale, healthy, lifecycle);
    }
}
