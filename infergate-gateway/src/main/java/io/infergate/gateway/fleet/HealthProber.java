package io.infergate.gateway.fleet;

import io.infergate.core.health.OutlierDetector;
import io.infergate.core.time.Ticker;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Active health checks: fetches each endpoint's health path (its server type's, e.g. vLLM's
 * {@code /health}, Triton's {@code /v2/health/ready}) on a fixed interval and tells the outlier detector
 * whether it answered 200 in time, ejected endpoints included (that is how a dead endpoint comes back).
 *
 * <pre>{@code
 * HealthProber prober = new HealthProber(vertx, detector, List.of(new HealthProber.Target("ep0",
 *         URI.create("http://10.0.0.5:8000/health"))), Duration.ofSeconds(1), Duration.ofSeconds(1), Ticker.system());
 * prober.start();
 * ...
 * prober.stop();
 * }</pre>
 */
public final class HealthProber {

    /** One endpoint and the URL of its health path. */
    public record Target(String endpointId, URI healthUrl) {
        public Target {
            Objects.requireNonNull(endpointId, "endpointId");
            Objects.requireNonNull(healthUrl, "healthUrl");
        }
    }

    private final Vertx vertx;
    private final OutlierDetector detector;
    private final List<Target> targets;
    private final Duration interval;
    private final Duration timeout;
    private final Ticker ticker;
    private final HttpClient client;
    private final AtomicBoolean[] busy;
    private long timerId = -1;

    public HealthProber(Vertx vertx, OutlierDetector detector, List<Target> targets, Duration interval,
                        Duration timeout, Ticker ticker) {
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("interval: " + interval + " (expected: > 0)");
        }
        this.vertx = vertx;
        this.detector = detector;
        this.targets = List.copyOf(targets);
        this.interval = interval;
        this.timeout = timeout;
        this.ticker = ticker;
        this.client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                .setConnectTimeout((int) timeout.toMillis()), new PoolOptions().setHttp1MaxSize(1));
        this.busy = new AtomicBoolean[this.targets.size()];
        for (int i = 0; i < busy.length; i++) {
            busy[i] = new AtomicBoolean();
        }
    }

    public void start() {
        timerId = vertx.setPeriodic(interval.toMillis(), id -> probeAll());
    }

    public void stop() {
        if (timerId >= 0) {
            vertx.cancelTimer(timerId);
        }
        client.close();
    }

    private void probeAll() {
        for (int i = 0; i < targets.size(); i++) {
            // One probe per endpoint at a time: a hanging server must not pile up probes.
            if (busy[i].compareAndSet(false, true)) {
                probe(targets.get(i), busy[i]);
            }
        }
    }

    private void probe(Target target, AtomicBoolean done) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET)
                .setAbsoluteURI(target.healthUrl().toString()).setTimeout(timeout.toMillis());
        client.request(request)
                .compose(req -> req.send())
                .compose(resp -> resp.body().map(body -> resp.statusCode() == 200))
                .onComplete(ar -> {
                    done.set(false);
                    detector.onProbe(target.endpointId(), ar.succeeded() && ar.result(), ticker.read());
                });
    }
}
