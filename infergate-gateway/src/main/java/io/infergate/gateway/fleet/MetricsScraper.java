package io.infergate.gateway.fleet;

import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.time.Ticker;
import io.vertx.core.AsyncResult;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.buffer.Buffer;

import java.time.Duration;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads every endpoint's Prometheus metrics (its server's page, and its GPU exporter's when it has one)
 * on a fixed interval, keeps the figures in {@link ScrapedFigures} and swaps the resulting load into the
 * {@link FleetState}, and feeds each server's figures to its batch capacity estimate. A failed or slow scrape of a server marks the endpoint's figures <em>stale</em>
 * (the scheduler then leans on the gateway's own in-flight counts). Scrapes never change the endpoint's
 * health: that comes from the outlier detector and its probes. A failed GPU-exporter scrape drops its figures, so
 * the server's own GPU figures, if any, show again.
 *
 * <pre>{@code
 * MetricsScraper scraper = new MetricsScraper(vertx, state, scraped, targets, Duration.ofMillis(200),
 *         Duration.ofSeconds(1), Duration.ofSeconds(2), Ticker.system(), new HttpClientOptions());
 * scraper.start();
 * ...
 * scraper.stop();
 * }</pre>
 */
public final class MetricsScraper {

    private static final Logger LOG = Logger.getLogger(MetricsScraper.class.getName());

    private final FleetState state;
    private final ScrapedFigures scraped;
    private final List<ScrapeTarget> targets = new CopyOnWriteArrayList<>();
    private final List<AtomicReference<MetricSamples>> previous = new CopyOnWriteArrayList<>();
    private final Ticker ticker;
    private final PeriodicPoller poller;
    private final Vertx vertx;
    private final Duration interval;
    private final long staleAfterNanos;
    private long staleCheckTimer = -1;
    private final IntConsumer serverScraped;

    /**
     * @param serverScraped hears the slot of each server whose figures a scrape just updated (the latency
     *                      predictor learns batch limits from them)
     */
    public MetricsScraper(Vertx vertx, FleetState state, ScrapedFigures scraped, List<ScrapeTarget> targets,
                          Duration interval, Duration timeout, Duration staleAfter, Ticker ticker,
                          HttpClientOptions clientOptions, IntConsumer serverScraped) {
        this.serverScraped = serverScraped;
        this.vertx = vertx;
        this.interval = interval;
        this.staleAfterNanos = staleAfter.toNanos();
        this.state = state;
        this.scraped = scraped;
        this.ticker = ticker;
        this.poller = new PeriodicPoller(vertx, List.of(), interval, timeout, this::scraped, clientOptions);
        targets.forEach(this::add);
    }

    /** Scrapes one more target from the next round on, e.g. a node the autoscaler added. */
    public synchronized void add(ScrapeTarget target) {
        // Servers that export no load metrics (plain OpenAI-compatible ones) are not polled.
        if (target.mapping().scrapes()) {
            targets.add(target);
            previous.add(new AtomicReference<>(MetricSamples.NONE));
            poller.add(target.metricsUrl());
        }
    }

    /** Stops scraping the pages of the endpoint at {@code slot}, which left the fleet. */
    public synchronized void retire(int slot) {
        for (int i = 0; i < targets.size(); i++) {
            if (targets.get(i).slot() == slot) {
                poller.retire(i);
            }
        }
    }

    public void start() {
        poller.start(true);
        staleCheckTimer = vertx.setPeriodic(interval.toMillis(), id -> markOldFiguresStale());
    }

    public void stop() {
        vertx.cancelTimer(staleCheckTimer);
        poller.stop();
    }

    /** A server whose last good scrape is older than stale_after (a scrape still pending) gets stale figures. */
    private void markOldFiguresStale() {
        long now = ticker.read();
        for (ScrapeTarget target : targets) {
            if (target.kind() == ScrapeTarget.Kind.SERVER) {
                state.updateLoad(target.slot(), old -> !old.stale() && now - old.scrapedAtNanos() > staleAfterNanos
                        ? old.withStale(true) : old);
            }
        }
    }

    private void scraped(int index, AsyncResult<Buffer> result) {
        ScrapeTarget target = targets.get(index);
        int slot = target.slot();
        if (result.succeeded()) {
            MetricSamples now = PrometheusText.parse(result.result().toString());
            scraped.update(slot, target.kind(), target.mapping().read(now, previous.get(index).getAndSet(now)));
            state.updateLoad(slot, old -> switch (target.kind()) {
                case SERVER -> scraped.figures(slot).toLoad(state.count(slot), ticker.read(), false,
                        old.healthy(), old.lifecycle());
                case GPU_EXPORTER -> withScrapedFigures(old, slot);
            });
            if (target.kind() == ScrapeTarget.Kind.SERVER) {
                learnCapacity(slot);
                serverScraped.accept(slot);
            }
            return;
        }
        LOG.log(Level.FINE, () -> "scrape of " + target.metricsUrl() + " failed: " + result.cause().getMessage());
        switch (target.kind()) {
            case SERVER -> state.updateLoad(slot, old -> old.withStale(true));
            case GPU_EXPORTER -> {
                scraped.update(slot, target.kind(), LoadFigures.NONE);
                state.updateLoad(slot, old -> withScrapedFigures(old, slot));
            }
        }
    }

    /** Feeds the server's figures to the endpoint's batch capacity estimate (exported limit, running plateau). */
    private void learnCapacity(int slot) {
        LoadFigures figures = scraped.figures(slot);
        state.updateCapacityEstimate(slot, estimate -> estimate.observe(count(figures, LoadFigure.BATCH_LIMIT),
                count(figures, LoadFigure.WAITING), count(figures, LoadFigure.RUNNING)));
    }

    private static int count(LoadFigures figures, LoadFigure figure) {
        return figures.has(figure) ? (int) Math.round(figures.get(figure)) : -1;
    }

    /** The load with the slot's current figures and everything else as it was. */
    private EndpointLoad withScrapedFigures(EndpointLoad old, int slot) {
        return scraped.figures(slot).toLoad(old.inFlightAtScrape(), old.scrapedAtNanos(), old.stale(), old.healthy(),
                old.lifecycle());
    }
}
