package io.infergate.gateway.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the gateway scrapes each endpoint's metrics ({@code scrape:}, given in milliseconds in the file).
 *
 * <pre>{@code
 * ScrapeConfig scrape = config.scrape();
 * vertx.setPeriodic(scrape.interval().toMillis(), id -> scrapeAll(scrape.timeout()));
 * }</pre>
 *
 * @param interval   time between two scrapes of one endpoint; default 200 ms
 * @param timeout    how long one scrape may take; default 1000 ms
 * @param staleAfter a scraped load older than this is no longer trusted; default 2000 ms, never
 *                   shorter than {@code interval}
 */
public record ScrapeConfig(Duration interval, Duration timeout, Duration staleAfter) {

    public static final ScrapeConfig DEFAULT =
            new ScrapeConfig(Duration.ofMillis(200), Duration.ofMillis(1000), Duration.ofMillis(2000));

    public ScrapeConfig {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeout, "timeout");
        Objects.requireNonNull(staleAfter, "staleAfter");
    }
}
