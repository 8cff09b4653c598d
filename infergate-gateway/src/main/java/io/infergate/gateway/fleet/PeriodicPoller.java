package io.infergate.gateway.fleet;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * GETs a list of URLs (growing with {@link #add}, shrinking with {@link #retire}) on a fixed interval, with at most one request per URL in flight, so a slow
 * or hanging server never piles up requests. Each result is a 200's body, or a failure (no answer in
 * time, another status: redirects are not followed). The metric scraper and the health prober are both
 * built on it.
 *
 * <pre>{@code
 * PeriodicPoller poller = new PeriodicPoller(vertx, urls, Duration.ofMillis(200), Duration.ofSeconds(1),
 *         (index, body) -> ..., new HttpClientOptions());
 * poller.start();
 * ...
 * poller.stop();
 * }</pre>
 */
final class PeriodicPoller {

    /** Receives each poll's outcome, on an event loop. */
    @FunctionalInterface
    interface Listener {
        void polled(int index, AsyncResult<Buffer> okBody);
    }

    private final Vertx vertx;
    private final List<URI> urls = new CopyOnWriteArrayList<>();
    private final Duration interval;
    private final Duration timeout;
    private final Listener listener;
    private final HttpClient client;
    private final List<AtomicBoolean> busy = new CopyOnWriteArrayList<>();
    /** Indexes no longer polled: their endpoint left the fleet. Indexes are never reused. */
    private final Set<Integer> retired = ConcurrentHashMap.newKeySet();
    private volatile long timerId = -1;

    PeriodicPoller(Vertx vertx, List<URI> urls, Duration interval, Duration timeout, Listener listener,
                   HttpClientOptions clientOptions) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
        }
        this.vertx = vertx;
        this.interval = interval;
        this.timeout = timeout;
        this.listener = listener;
        this.client = vertx.createHttpClient(new HttpClientOptions(clientOptions).setKeepAlive(true)
                .setConnectTimeout((int) timeout.toMillis()), new PoolOptions().setHttp1MaxSize(1));
        urls.forEach(this::add);
    }

    /**
     * Polls one more URL, at once when polling has started (a node that joins is read before the next
     * round, up to one interval later, so the scheduler does not rank it on unknown figures meanwhile);
     * returns its index, the one the listener hears.
     */
    synchronized int add(URI url) {
        busy.add(new AtomicBoolean());
        urls.add(url);
        int index = urls.size() - 1;
        if (timerId >= 0) {
            poll(index);
        }
        return index;
    }

    /** Stops polling the URL at {@code index} (its endpoint left the fleet); other indexes keep theirs. */
    void retire(int index) {
        retired.add(index);
    }

    /** Starts polling; the first round goes out at once when {@code now} is true, else after one interval. */
    void start(boolean now) {
        if (now) {
            pollAll();
        }
        timerId = vertx.setPeriodic(interval.toMillis(), id -> pollAll());
    }

    void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        client.close();
    }

    private void pollAll() {
        for (int i = 0; i < urls.size(); i++) {
            poll(i);
        }
    }

    private void poll(int index) {
        if (!retired.contains(index) && busy.get(index).compareAndSet(false, true)) {
            get(urls.get(index)).onComplete(result -> {
                busy.get(index).set(false);
                listener.polled(index, result);
            });
        }
    }

    private Future<Buffer> get(URI url) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET)
                .setAbsoluteURI(url.toString()).setTimeout(timeout.toMillis())
                .setFollowRedirects(false); // a redirect is a failed poll, never a request elsewhere
        return client.request(request)
                .compose(req -> req.send())
                .compose(resp -> resp.statusCode() == 200
                        ? resp.body()
                        : resp.body().transform(ignored -> Future.failedFuture("HTTP " + resp.statusCode())));
    }
}
