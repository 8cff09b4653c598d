package io.infergate.gateway.fleet;

import io.infergate.core.health.OutlierDetector;
import io.infergate.core.time.Ticker;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Active health checks: fetches each endpoint's health path (its server type's, e.g. vLLM's
 * {@code /health}, Triton's {@code /v2/health/ready}) on a fixed interval and tells the outlier detector
 * whether it answered 200 in time, ejected endpoints included (that is how a dead endpoint comes back).
 *
 * <pre>{@code
 * HealthProber prober = new HealthProber(vertx, detector, List.of(new HealthProber.Target("ep0",
 *         URI.create("http://10.0.0.5:8000/health"))), Duration.ofSeconds(1), Duration.ofSeconds(1), Ticker.system(),
 *         new HttpClientOptions());
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

    private final List<Target> targets = new CopyOnWriteArrayList<>();
    private final PeriodicPoller poller;

    public HealthProber(Vertx vertx, OutlierDetector detector, List<Target> targets, Duration interval,
                        Duration timeout, Ticker ticker, HttpClientOptions clientOptions) {
        this.poller = new PeriodicPoller(vertx, List.of(), interval, timeout, (index, result) ->
                detector.onProbe(this.targets.get(index).endpointId(), result.succeeded(), ticker.read()),
                clientOptions);
        targets.forEach(this::add);
    }

    /** Probes one more endpoint from the next round on, e.g. a node the autoscaler added. */
    public synchronized void add(Target target) {
        targets.add(target);
        poller.add(target.healthUrl());
    }

    /** Stops probing {@code endpointId}, which left the fleet. */
    public synchronized void retire(String endpointId) {
        for (int i = 0; i < targets.size(); i++) {
            if (targets.get(i).endpointId().equals(endpointId)) {
                poller.retire(i);
            }
        }
    }

    public void start() {
        poller.start(false);
    }

    public void stop() {
        poller.stop();
    }
}
