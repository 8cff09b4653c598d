package io.infergate.gateway.observe;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.health.EjectionCause;
import io.infergate.core.predict.EndpointSpeeds;
import io.infergate.gateway.event.Outcome;
import io.infergate.gateway.fleet.FleetState;
import io.infergate.gateway.fleet.LoadFigure;
import io.infergate.gateway.fleet.ScrapedFigures;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Every metric the gateway exports, defined once; names and labels are documented in
 * {@code docs/metrics.md}. Meters are cached per label set so the request path does no registry lookup.
 *
 * <pre>{@code
 * GatewayMetrics metrics = new GatewayMetrics(fleetState, scrapedFigures, "load-aware", Optional.empty());
 * metrics.requestDuration("llama", "eu-1", Outcome.SUCCESS).record(nanos, TimeUnit.NANOSECONDS);
 * String exposition = metrics.scrape();
 * }</pre>
 */
public final class GatewayMetrics {

    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofSeconds(60), Duration.ofSeconds(120)};
    private static final Duration[] PICK_BUCKETS = {
            Duration.ofNanos(1_000), Duration.ofNanos(2_500), Duration.ofNanos(5_000), Duration.ofNanos(10_000),
            Duration.ofNanos(25_000), Duration.ofNanos(50_000), Duration.ofNanos(100_000), Duration.ofMillis(1)};

    /** Queue waits and dispatch latencies: fine at the low end, where the 15 ms objective of critical lies. */
    private static final Duration[] QUEUE_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(15), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};

    private record RequestKey(String model, String endpoint, Outcome outcome) {
    }

    private record EndpointKey(String model, String endpoint) {
    }

    /**
     * Prediction errors in percent: fine around the 15 % that matters, up to five times off. In percent, not
     * as a ratio: Micrometer's summaries count no value below 1 in the buckets under 1.
     */
    private static final double[] PREDICTION_ERROR_BUCKETS = {2, 5, 10, 15, 20, 30, 50, 100, 200, 500};

    /** What a prediction was of: {@code ttft} or {@code end_to_end}. */
    public enum Predicted {
        TTFT, END_TO_END;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private record PredictionKey(Predicted kind, String endpoint, String pool) {
    }

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<RequestKey, Timer> requestDurations = new ConcurrentHashMap<>();
    private final Map<EndpointKey, Timer> timesToFirstToken = new ConcurrentHashMap<>();
    private final LabelledCounters proxyErrors = new LabelledCounters(registry, "infergate.proxy.errors",
            "Failures talking to endpoints, by kind", "kind", "endpoint");
    private final LabelledCounters ejections = new LabelledCounters(registry, "infergate.endpoint.ejections",
            "Endpoints taken out of rotation by passive or active health checks", "endpoint", "cause");
    private final LabelledCounters retries = new LabelledCounters(registry, "infergate.retries",
            "Failed attempts retried on another endpoint, by what failed", "reason");
    private final LabelledCounters giveUps = new LabelledCounters(registry, "infergate.retry.give.ups",
            "Failed attempts not retried, by the retry policy's reason", "reason");
    private final LabelledCounters hedges = new LabelledCounters(registry, "infergate.hedges",
            "Hedged attempts of late requests, by what became of them", "event");
    private final LabelledCounters fallbacks = new LabelledCounters(registry, "infergate.model.fallbacks",
            "Requests served by a fallback model because their model's endpoints were down or full", "model", "fallback");
    private final Map<String, Timer> queueWaits = new ConcurrentHashMap<>();
    private final Map<String, Timer> dispatchLatencies = new ConcurrentHashMap<>();
    private final LabelledCounters flowRejections = new LabelledCounters(registry, "infergate.flow.rejected",
            "Requests flow control answered itself or lost while queued, by class and reason", "class", "reason");
    private final LabelledCounters flowDispatches = new LabelledCounters(registry, "infergate.flow.dispatched",
            "Requests flow control let through to the scheduler, by class and tenant", "class", "tenant");
    private final LabelledCounters rateLimited = new LabelledCounters(registry, "infergate.ratelimit.rejected",
            "Requests answered 429 (or 503 while the limit backend is down), by scope and limit", "scope", "limit");
    private final LabelledCounters authFailures = new LabelledCounters(registry, "infergate.auth.failures",
            "Requests refused for their API key (401) or for a model the key may not call (403)", "reason");
    private final LabelledCounters connectionsClosed = new LabelledCounters(registry, "infergate.connections.closed",
            "Client connections the gateway closed to protect itself, by listener and by the limit that closed them",
            "listener", "reason");
    private final Map<PredictionKey, DistributionSummary> predictionErrors = new ConcurrentHashMap<>();
    private final Timer pickDuration;
    /** The latency predictor's speeds of an endpoint now, when the gateway routes by predicted latency. */
    private final Optional<Function<Endpoint, EndpointSpeeds>> speeds;

    /**
     * @param speeds the latency predictor's current speeds of an endpoint, exported per endpoint; empty
     *               when the gateway does not predict
     */
    public GatewayMetrics(FleetState fleet, ScrapedFigures scraped, String schedulerName,
                          Optional<Function<Endpoint, EndpointSpeeds>> speeds) {
        this.speeds = speeds;
        pickDuration = Timer.builder("infergate.scheduler.pick.duration")
                .description("Time the scheduler took to pick an endpoint")
                .tag("scheduler", schedulerName)
                .serviceLevelObjectives(PICK_BUCKETS)
                .register(registry);
        var snapshot = fleet.snapshot();
        for (int slot = 0; slot < snapshot.size(); slot++) {
            registerEndpointGauges(fleet, scraped, slot, snapshot.endpoint(slot));
        }
    }

    /** Where subsystems with meters of their own (the autoscaler) register them. */
    public MeterRegistry registry() {
        return registry;
    }

    /** Registers the per-endpoint gauges of an endpoint added in {@code slot} after the start. */
    public void registerEndpointGauges(FleetState fleet, ScrapedFigures scraped, int slot, Endpoint endpoint) {
        Tags tags = Tags.of("endpoint", endpoint.id(), "pool", endpoint.pool(), "region", endpoint.region());
        Gauge.builder("infergate.endpoint.in.flight", fleet, f -> f.count(slot))
                .description("Requests the gateway has sent to the endpoint and not yet seen finish")
                .tags(tags).register(registry);
        loadGauge("infergate.endpoint.requests.waiting", "Requests queued on the endpoint, as scraped",
                fleet, slot, tags, load -> load.waiting() < 0 ? Double.NaN : load.waiting());
        loadGauge("infergate.endpoint.requests.running", "Requests running on the endpoint, as scraped",
                fleet, slot, tags, load -> load.running() < 0 ? Double.NaN : load.running());
        loadGauge("infergate.endpoint.kv.cache.usage", "KV-cache use of the endpoint, 0..1, as scraped",
                fleet, slot, tags, EndpointLoad::kvCacheUsage);
        loadGauge("infergate.endpoint.gpu.utilisation", "GPU utilisation of the endpoint, 0..1, as scraped",
                fleet, slot, tags, EndpointLoad::gpuUtilisation);
        scrapedGauge("infergate.endpoint.gpu.memory.bandwidth.utilisation",
                "Share of cycles the GPU memory interface was busy, 0..1, from the GPU exporter",
                scraped, slot, tags, LoadFigure.GPU_MEMORY_BANDWIDTH);
        scrapedGauge("infergate.endpoint.gpu.framebuffer.used.bytes", "GPU memory in use, as scraped",
                scraped, slot, tags, LoadFigure.GPU_FRAMEBUFFER_USED_BYTES);
        scrapedGauge("infergate.endpoint.gpu.framebuffer.usage", "GPU memory in use as a share of the total, 0..1",
                scraped, slot, tags, LoadFigure.GPU_FRAMEBUFFER_USAGE);
        loadGauge("infergate.endpoint.scrape.stale", "1 when the endpoint's last scrape failed or is old",
                fleet, slot, tags, load -> load.stale() ? 1 : 0);
        loadGauge("infergate.endpoint.healthy", "1 when the endpoint accepts requests",
                fleet, slot, tags, load -> load.acceptsRequests() ? 1 : 0);
        speeds.ifPresent(now -> {
            speedGauge("infergate.endpoint.predicted.prefill.tokens.per.second",
                    "Prompt tokens a second the latency predictor believes the endpoint prefills",
                    endpoint, tags, now, EndpointSpeeds::prefillTokensPerSecond);
            speedGauge("infergate.endpoint.predicted.decode.tokens.per.second",
                    "Output tokens a second the latency predictor believes one stream gets alone on the endpoint",
                    endpoint, tags, now, EndpointSpeeds::decodeTokensPerSecond);
            speedGauge("infergate.endpoint.predicted.queue.factor",
                    "How many times longer than the queue model says the predictor believes the endpoint's waits are",
                    endpoint, tags, now, EndpointSpeeds::queueFactor);
        });
    }

    private void speedGauge(String name, String description, Endpoint endpoint, Tags tags,
                            Function<Endpoint, EndpointSpeeds> now, ToDoubleFunction<EndpointSpeeds> figure) {
        Gauge.builder(name, endpoint, e -> figure.applyAsDouble(now.apply(e))).strongReference(true)
                .description(description).tags(tags).register(registry);
    }

    /**
     * The error of the latency predictor's {@code kind} predictions for {@code endpoint}, in percent:
     * {@code 100 × |predicted - observed| / observed}.
     */
    public DistributionSummary predictionError(Predicted kind, Endpoint endpoint) {
        return predictionErrors.computeIfAbsent(new PredictionKey(kind, endpoint.id(), endpoint.pool()), key ->
                DistributionSummary.builder("infergate.prediction.error.percent")
                        .description("Error of the latency predictor in percent, 100 x |predicted - observed| / "
                                + "observed, by what was predicted (ttft, end_to_end) and endpoint")
                        .tags("kind", key.kind().label(), "endpoint", key.endpoint(), "pool", key.pool())
                        .serviceLevelObjectives(PREDICTION_ERROR_BUCKETS)
                        .register(registry));
    }

    /** Removes the per-endpoint meters of {@code endpointId}, which left the fleet. */
    public void removeEndpointMeters(String endpointId) {
        predictionErrors.keySet().removeIf(key -> key.endpoint().equals(endpointId));
        registry.getMeters().stream()
                .filter(meter -> (meter.getId().getName().startsWith("infergate.endpoint.")
                        || meter.getId().getName().startsWith("infergate.prediction."))
                        && endpointId.equals(meter.getId().getTag("endpoint")))
                .forEach(registry::remove);
    }

    private void loadGauge(String name, String description, FleetState fleet, int slot, Tags tags,
                           ToDoubleFunction<EndpointLoad> figure) {
        Gauge.builder(name, fleet, f -> figure.applyAsDouble(f.snapshot().load(slot)))
                .description(description).tags(tags).register(registry);
    }

    private void scrapedGauge(String name, String description, ScrapedFigures scraped, int slot, Tags tags,
                              LoadFigure figure) {
        Gauge.builder(name, scraped, s -> s.figures(slot).get(figure))
                .description(description).tags(tags).register(registry);
    }

    public Timer requestDuration(String model, String endpoint, Outcome outcome) {
        return requestDurations.computeIfAbsent(new RequestKey(model, endpoint, outcome), key ->
                Timer.builder("infergate.request.duration")
                        .description("Time from receiving a request to the end of its response")
                        .tags("model", key.model(), "endpoint", key.endpoint(), "outcome", key.outcome().label())
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry));
    }

    public Timer timeToFirstToken(String model, String endpoint) {
        return timesToFirstToken.computeIfAbsent(new EndpointKey(model, endpoint), key ->
                Timer.builder("infergate.time.to.first.token")
                        .description("Time from receiving a request to relaying the first byte of the response body")
                        .tags("model", key.model(), "endpoint", key.endpoint())
                        .serviceLevelObjectives(LATENCY_BUCKETS)
                        .register(registry));
    }

    /** Counts a proxy failure; {@code kind} is one of connect, timeout, stream_cut, client_gone. */
    public void proxyError(String kind, String endpoint) {
        proxyErrors.increment(kind, endpoint);
    }

    /** Counts an ejection of {@code endpoint} by the outlier detector. */
    public void ejection(String endpoint, EjectionCause cause) {
        ejections.increment(endpoint, cause.name().toLowerCase(Locale.ROOT));
    }

    /** Counts a retry of a failed attempt; {@code reason} is what failed: connect, status_5xx, timeout, connection_lost. */
    public void retry(String reason) {
        retries.increment(reason);
    }

    /**
     * Counts a hedging event: {@code sent} (a second attempt went out), {@code first_won} (the first
     * attempt answered first and the hedge was cancelled), {@code hedge_won} (the hedge answered first).
     */
    public void hedge(String event) {
        hedges.increment(event);
    }

    /** Counts a request for {@code model} sent to {@code fallback} because {@code model}'s endpoints were down or full. */
    public void modelFallback(String model, String fallback) {
        fallbacks.increment(model, fallback);
    }

    /** Counts a failed attempt that was not retried; {@code reason} as {@code RetryDecision.Reason.label()}. */
    public void retryGiveUp(String reason) {
        giveUps.increment(reason);
    }

    /** Registers the gauge of the per-try timeout requests of {@code shape} to {@code pool} get now, in seconds. */
    public void perTryTimeoutGauge(String pool, String shape, Supplier<Number> seconds) {
        Gauge.builder("infergate.retry.per.try.timeout", seconds)
                .description("How long an attempt may wait for its response head now (adaptive unless per_try_timeout_ms is set)")
                .baseUnit("seconds").tags("pool", pool, "shape", shape).register(registry);
    }

    /** Registers the gauge of requests waiting in class {@code priorityClass}'s queues, all models together. */
    public void queueDepthGauge(String priorityClass, Supplier<Number> depth) {
        Gauge.builder("infergate.flow.queue.depth", depth)
                .description("Requests waiting in flow control's queues for capacity")
                .tag("class", priorityClass).register(registry);
    }

    /** Time a dispatched request waited in flow control's queue; 0 when it went at once. */
    public Timer queueWait(String priorityClass) {
        return queueWaits.computeIfAbsent(priorityClass, c -> Timer.builder("infergate.flow.queue.wait")
                .description("Time a dispatched request waited in flow control's queue, 0 when it went at once")
                .tag("class", c).serviceLevelObjectives(QUEUE_BUCKETS).register(registry));
    }

    /** Time from receiving a request to sending it to its first endpoint. */
    public Timer dispatchLatency(String priorityClass) {
        return dispatchLatencies.computeIfAbsent(priorityClass, c -> Timer.builder("infergate.flow.dispatch.latency")
                .description("Time from receiving a request to sending it to its first endpoint")
                .tag("class", c).serviceLevelObjectives(QUEUE_BUCKETS).register(registry));
    }

    /**
     * Counts a request flow control turned away; {@code reason} is one of queue_full, tenant_over_share,
     * deadline_exceeded, shed, client_gone.
     */
    public void flowRejected(String priorityClass, String reason) {
        flowRejections.increment(priorityClass, reason);
    }

    /** Counts a request flow control let through, by class and tenant. */
    public void flowDispatched(String priorityClass, String tenant) {
        flowDispatches.increment(priorityClass, tenant);
    }

    /**
     * Counts a request refused by a limit; {@code scope} is key or tenant, {@code limit} is requests,
     * tokens, concurrent or backend_unavailable.
     */
    public void rateLimited(String scope, String limit) {
        rateLimited.increment(scope, limit);
    }

    /** Counts a request refused for its API key; {@code reason} is missing_api_key, invalid_api_key, model_not_allowed or key_store_unavailable. */
    public void authFailed(String reason) {
        authFailures.increment(reason);
    }

    /**
     * Registers the gauge that is 1 for the rate-limit backend in use and 0 for the other:
     * {@code state} is redis or fallback for the Redis backend, local for the local one.
     */
    public void rateLimitBackendGauge(String state, Supplier<Number> inUse) {
        Gauge.builder("infergate.ratelimit.backend", inUse)
                .description("1 for where rate limits are counted now: redis, fallback (Redis unreachable) or local")
                .tag("state", state).register(registry);
    }

    /**
     * Registers what admitted requests hold until their response ends: {@code kind} slots (concurrency
     * places) or tokens (reserved, not yet settled); both 0 when the gateway is idle.
     */
    public void admissionHeldGauge(String kind, Supplier<Number> held) {
        Gauge.builder("infergate.ratelimit.held", held)
                .description("Concurrency slots held and tokens reserved by requests in flight; 0 when idle")
                .tag("kind", kind).register(registry);
    }

    /** Registers the gauge that is 1 while the shared store of runtime API keys ({@code store}: redis) answers. */
    public void keyStoreGauge(String store, Supplier<Number> up) {
        Gauge.builder("infergate.key.store.up", up)
                .description("1 while the store of API keys created at runtime answers; 0 while only cached keys work")
                .tag("store", store).register(registry);
    }

    /** Registers the gauge of client connections open on {@code listener} (data or admin). */
    public void openConnectionsGauge(String listener, Supplier<Number> open) {
        Gauge.builder("infergate.connections.open", open)
                .description("Client connections open on the listener")
                .tag("listener", listener).register(registry);
    }

    /**
     * Counts a client connection the gateway closed on {@code listener}; {@code reason} names the limit:
     * max_connections_per_address (refused as it opened), header_timeout, keep_alive_timeout, body_timeout,
     * http2_flood (too many resets or other frames: GOAWAY ENHANCE_YOUR_CALM).
     */
    public void connectionClosed(String listener, String reason) {
        connectionsClosed.increment(listener, reason);
    }

    public void recordPick(long nanos) {
        pickDuration.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The Prometheus text exposition of every metric. */
    public String scrape() {
        return registry.scrape();
    }
}
