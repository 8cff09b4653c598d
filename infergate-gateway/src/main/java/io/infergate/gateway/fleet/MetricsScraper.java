package io.infergate.gateway.fleet;

import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.time.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads every endpoint's Prometheus metrics (its server's page, and its GPU exporter's when it has one)
 * on a fixed interval, keeps the figures in {@link ScrapedFigures} and swaps the resulting load into the
 * {@link FleetState}. A failed or slow scrape of a server marks the endpoint's figures <em>stale</em>
 * (the scheduler then leans on the gateway's own in-flight counts); it never marks the endpoint dead. A
 * successful one marks the endpoint healthy again. A failed GPU-exporter scrape drops its figures, so
 * the server's own GPU figures, if any, show again.
 *
 * <pre>{@code
 * MetricsScraper scraper = new MetricsScraper(vertx, state, scraped, targets, Duration.ofMillis(200),
 *         Duration.ofSeconds(1), Ticker.system());
 * scraper.start();
 * ...
 * scraper.stop();
 * }</pre>
 */
public final class MetricsScraper {

    private static final Logger LOG = Logger.getLogger(MetricsScraper.class.getName());

    private final Vertx vertx;
    private final FleetState state;
    private final ScrapedFigures scraped;
    private final List<ScrapeTarget> targets;
    private final AtomicReferenceArray<MetricSamples> previous;
    private final Duration interval;
    private final Duration timeout;
    private final Ticker ticker;
    private final HttpClient client;
    private final AtomicBoolean[] busy;
    private long timerId = -1;

    public MetricsScraper(Vertx vertx, FleetState state, ScrapedFigures scraped, List<ScrapeTarget> targets,
                          Duration interval, Duration timeout, Ticker ticker) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
        }
        this.vertx = vertx;
        this.state = state;
        this.scraped = scraped;
        this.targets = List.copyOf(targets);
        this.previous = new AtomicReferenceArray<>(this.targets.size());
        for (int i = 0; i < this.targets.size(); i++) {
            previous.set(i, MetricSamples.NONE);
        }
        this.interval = interval;
        this.timeout = timeout;
        this.ticker = ticker;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                        .setConnectTimeout((int) timeout.toMillis()),
                new PoolOptions().setHttp1MaxSize(1));
        this.busy = new AtomicBoolean[this.targets.size()];
        for (int i = 0; i < busy.length; i++) {
            busy[i] = new AtomicBoolean();
        }
    }

    public void start() {
        scrapeAll();
        timerId = vertx.setPeriodic(interval.toMillis(), id -> scrapeAll());
    }

    public void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        client.close();
    }

    private void scrapeAll() {
        for (int i = 0; i < targets.size(); i++) {
            ScrapeTarget target = targets.get(i);
            // One scrape per endpoint at a time: a slow server must not pile up requests.
            if (target.mapping().scrapes() && busy[i].compareAndSet(false, true)) {
                AtomicBoolean done = busy[i];
                scrape(i).onComplete(ar -> done.set(false));
            }
        }
    }

    private Future<Void> scrape(int index) {
        ScrapeTarget target = targets.get(index);
        int slot = target.slot();
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setAbsoluteURI(target.metricsUrl().toString())
                .setTimeout(timeout.toMillis());
        return client.request(request)
                .compose(req -> req.send())
                .compose(resp -> resp.statusCode() == 200
                        ? resp.body()
                        : Future.failedFuture("HTTP " + resp.statusCode()))
                .map(body -> {
                    MetricSamples now = PrometheusText.parse(body.toString());
                    scraped.update(slot, target.kind(), target.mapping().read(now, previous.getAndSet(index, now)));
                    state.updateLoad(slot, old -> switch (target.kind()) {
                        case SERVER -> scraped.figures(slot).toLoad(state.count(slot), ticker.read(), false, true,
                                old.lifecycle());
                        case GPU_EXPORTER -> withScrapedFigures(old, slot);
                    });
                    return (Void) null;
                })
                .recover(err -> {
                    LOG.log(Level.FINE, () -> "scrape of " + target.metricsUrl() + " failed: " + err.getMessage());
                    switch (target.kind()) {
                        case SERVER -> state.updateLoad(slot, old -> old.withStale(true));
                        case GPU_EXPORTER -> {
                            scraped.update(slot, target.kind(), LoadFigures.NONE);
                            state.updateLoad(slot, old -> withScrapedFigures(old, slot));
                        }
                    }
                    return Future.succeededFuture();
                });
    }

    /** The load with the slot's current figures and everything else as it was. */
    private EndpointLoad withScrapedFigures(EndpointLoad old, int slot) {
        return scraped.figures(slot).toLoad(old.inFlightAtScrape(), old.scrapedAtNanos(), old.stale(), old.healthy(),
                old.lifecycle());
    }
}
