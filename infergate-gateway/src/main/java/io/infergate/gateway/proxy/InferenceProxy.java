package io.infergate.gateway.proxy;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.model.ModelCatalog;
import io.infergate.core.time.Ticker;
import io.infergate.gateway.api.ApiError;
import io.infergate.gateway.api.BoundedBody;
import io.infergate.gateway.event.ExchangeEnd;
import io.infergate.gateway.event.ExchangeObserver;
import io.infergate.gateway.event.Outcome;
import io.infergate.gateway.fleet.FleetState;
import io.infergate.gateway.flow.FlowGate;
import io.infergate.gateway.time.DeadlineSweep;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpServerRequest;

import java.util.Objects;

/**
 * Proxies inference requests ({@code /v1/chat/completions}, {@code /v1/completions},
 * {@code /v1/embeddings}) to the endpoint the scheduler picks. One instance per event loop, each with
 * its own pooled HTTP client; the fleet state, scheduler, metrics and exchange observers are shared. Create it on
 * its event loop: it listens there for endpoints ejected as down.
 *
 * <p>The request body is collected (bounded by {@link ProxySettings#maxBodyBytes}) because the model it
 * names decides the route and because a failed attempt is retried on another endpoint with the same
 * bytes ({@link Resilience}). The response is never collected: it is relayed chunk by chunk, see {@link ProxyExchange}.
 */
public final class InferenceProxy {

    private final Vertx vertx;
    private final HttpClient client;
    private final FleetState fleet;
    private final EndpointPicker picker;
    private final ProxySettings settings;
    private final Ticker ticker;
    private final RequestIds requestIds;
    private final Resilience resilience;
    private final FlowGate flow;
    private final ModelCatalog models;
    private final AdmissionGuard guard;
    private final Drain drain;
    private final ExchangeObserver observer;
    /** The per-try deadlines of this event loop's attempts. */
    private final DeadlineSweep deadlines;
    private final HeadWaits headWaits = new HeadWaits();

    public InferenceProxy(Vertx vertx, HttpClient client, ProxyServices services) {
        this.vertx = vertx;
        this.client = client;
        this.fleet = services.fleet();
        this.picker = new EndpointPicker(services.scheduler(), fleet, services.flow(), services.observer(),
                services.ticker());
        this.settings = services.settings();
        this.ticker = services.ticker();
        this.requestIds = services.requestIds();
        this.resilience = services.resilience();
        this.flow = services.flow();
        this.models = services.models();
        this.guard = services.guard();
        this.drain = services.drain();
        this.observer = services.observer();
        this.deadlines = new DeadlineSweep(vertx, ticker, DeadlineSweep.RESOLUTION);
        resilience.ejections().listen(Objects.requireNonNull(Vertx.currentContext(), "created off an event loop"),
                headWaits::endpointDown);
    }

    public void handle(HttpServerRequest request) {
        long startNanos = ticker.read();
        String requestId = requestIds.next();
        BoundedBody.read(request, settings.maxBodyBytes(),
                body -> new ProxyExchange(this, request, requestId, startNanos, body).start(),
                error -> respondError(request, requestId, error, "unknown", startNanos));
    }

    void respondError(HttpServerRequest request, String requestId, ApiError error, String model, long startNanos) {
        var response = request.response();
        if (response.ended() || response.closed()) {
            return;
        }
        response.putHeader(Headers.REQUEST_ID, requestId);
        error.sendTo(response);
        observer.done(new ExchangeEnd(model, ExchangeEnd.NO_ENDPOINT, Outcome.REJECTED, ticker.read() - startNanos));
    }

    /**
     * An attempt of this event loop found {@code endpoint} stalled: it is ejected, which gives up the attempts
     * waiting on it on the other event loops, and those of this one are given up now, counted as stalls.
     * When its pool already has its share of endpoints ejected, nothing happens: the attempts wait for their
     * per-try timeout, as they would without stall detection (a pool of one is never emptied).
     */
    void endpointStalled(Endpoint endpoint, long nowNanos) {
        if (resilience.detector().onStall(endpoint.id(), nowNanos)) {
            headWaits.endpointStalled(endpoint.id());
        }
    }

    Vertx vertx() {
        return vertx;
    }

    Resilience resilience() {
        return resilience;
    }

    HttpClient client() {
        return client;
    }

    FleetState fleet() {
        return fleet;
    }

    EndpointPicker picker() {
        return picker;
    }

    ProxySettings settings() {
        return settings;
    }

    Ticker ticker() {
        return ticker;
    }

    FlowGate flow() {
        return flow;
    }

    ModelCatalog models() {
        return models;
    }

    AdmissionGuard guard() {
        return guard;
    }

    Drain drain() {
        return drain;
    }

    ExchangeObserver observer() {
        return observer;
    }

    DeadlineSweep deadlines() {
        return deadlines;
    }

    HeadWaits headWaits() {
        return headWaits;
    }
}
