package io.infergate.gateway.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.flow.FlowPolicy;
import io.infergate.core.flow.SaturationThresholds;
import io.infergate.core.schedule.Scheduler;
import io.infergate.gateway.api.ApiError;
import io.infergate.gateway.api.DataPlaneRouter;
import io.infergate.gateway.fleet.FleetState;
import io.infergate.gateway.membership.ConfigReload;
import io.infergate.gateway.observe.GatewayMetrics;
import io.infergate.gateway.observe.PickLog;
import io.infergate.gateway.proxy.Drain;
import io.infergate.gateway.security.KeyRegistry;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The admin listener's routes: {@code /metrics} (Prometheus), {@code /health} (200 {@code ok}, or 503
 * {@code draining} once the gateway is shutting down, so that readiness probes and load balancers stop
 * sending it traffic),
 * {@code /admin/endpoints} (the fleet as the gateway sees it), {@code /admin/picks?limit=N} (the
 * last picks, each candidate with its per-scorer scores or the filter that removed it), and
 * {@code POST /admin/endpoints/{id}/drain} and {@code .../undrain}: a draining endpoint gets no new
 * requests while those in flight finish; {@code /admin/keys} creates, lists and revokes API keys
 * ({@link KeyRoutes}); {@code /admin/autoscaler}: each scaled pool's nodes, bounds, cost and recent
 * decisions with their reasons; {@code POST /admin/reload} re-reads the configuration file
 * ({@link ConfigReload}); {@code POST /admin/endpoints}, {@code DELETE /admin/endpoints/{id}} and
 * {@code GET /admin/pools/{pool}/load}: endpoints join and leave, and a remote autoscaler reads a pool
 * ({@link MembershipRoutes}).
 */
public final class AdminRouter implements Handler<HttpServerRequest> {

    private static final String ENDPOINTS_PREFIX = "/admin/endpoints/";
    private static final int DEFAULT_PICKS = 20;
    private static final int MAX_PICKS = 1000;

    private final ObjectMapper json = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);
    private final Vertx vertx;
    private final FleetState fleet;
    private final Scheduler scheduler;
    private final GatewayMetrics metrics;
    private final PickLog picks;
    private final KeyRoutes keys;
    private final Supplier<List<Map<String, Object>>> autoscalers;
    private final Optional<ConfigReload> reload;
    private final MembershipRoutes membership;
    private final Drain drain;
    private final SaturationThresholds saturation;

    public AdminRouter(Vertx vertx, FleetState fleet, Scheduler scheduler, GatewayMetrics metrics, PickLog picks,
                       KeyRegistry keys, boolean authRequired, FlowPolicy flow,
                       Supplier<List<Map<String, Object>>> autoscalers, Optional<ConfigReload> reload,
                       MembershipRoutes membership, Drain drain) {
        this.keys = new KeyRoutes(json, keys, authRequired, flow);
        this.saturation = flow.saturation();
        this.membership = membership;
        this.drain = drain;
        this.autoscalers = autoscalers;
        this.reload = reload;
        this.vertx = vertx;
        this.fleet = fleet;
        this.scheduler = scheduler;
        this.metrics = metrics;
        this.picks = picks;
    }

    @Override
    public void handle(HttpServerRequest request) {
        switch (request.path()) {
            case "/metrics" -> request.response()
                    .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape());
            case DataPlaneRouter.HEALTH -> drain.answerHealth(request.response());
            case MembershipRoutes.ENDPOINTS -> {
                if (request.method() == HttpMethod.POST) {
                    membership.add(request);
                } else if (request.method() == HttpMethod.GET) {
                    sendJson(request, 200, endpoints());
                } else {
                    request.response().putHeader(HttpHeaders.ALLOW, "GET, POST");
                    error(request, ApiError.methodNotAllowed(request.method().name(), request.path()));
                }
            }
            case "/admin/picks" -> picks(request);
            case "/admin/autoscaler" -> sendJson(request, 200, Map.of("pools", autoscalers.get()));
            case "/admin/reload" -> reload(request);
            default -> {
                if (request.path().equals(KeyRoutes.PATH) || request.path().startsWith(KeyRoutes.PATH + "/")) {
                    keys.handle(request);
                } else if (request.path().startsWith(ENDPOINTS_PREFIX) && request.method() == HttpMethod.POST) {
                    lifecycle(request);
                } else if (request.path().startsWith(ENDPOINTS_PREFIX) && request.method() == HttpMethod.DELETE) {
                    membership.remove(request, request.path().substring(ENDPOINTS_PREFIX.length()));
                } else if (!(request.method() == HttpMethod.GET && membership.load(request))) {
                    error(request, ApiError.notFound(request.method().name(), request.path()));
                }
            }
        }
    }

    private void picks(HttpServerRequest request) {
        String limitParam = request.getParam("limit");
        int limit = DEFAULT_PICKS;
        if (limitParam != null) {
            try {
                limit = Integer.parseInt(limitParam);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_PICKS) {
                error(request, ApiError.badRequest(
                        "limit: " + limitParam + " (expected: an integer from 1 to " + MAX_PICKS + ")"));
                return;
            }
        }
        // Explaining re-runs the scheduler: keep it off the event loop.
        int n = limit;
        vertx.executeBlocking(() -> json.writeValueAsString(
                        Map.of("scheduler", scheduler.name(), "picks", picks.explainLast(n, scheduler))))
                .onSuccess(body -> request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body))
                .onFailure(err -> error(request, new ApiError(500, "server_error", "explain_failed",
                        "could not explain picks: " + err.getMessage(), 0)));
    }

    /** {@code POST /admin/reload}: re-reads the configuration file, off the event loop. */
    private void reload(HttpServerRequest request) {
        if (request.method() != HttpMethod.POST) {
            error(request, ApiError.methodNotAllowed(request.method().name(), request.path()));
        } else if (reload.isEmpty()) {
            error(request, new ApiError(409, "invalid_request_error", "no_config_file",
                    "this gateway was not started from a configuration file, so there is nothing to reload", 0));
        } else {
            vertx.executeBlocking(() -> reload.get().reload())
                    .onSuccess(outcome -> sendJson(request, outcome.applied() ? 200 : 400, outcome.toJson()))
                    .onFailure(err -> error(request, new ApiError(500, "server_error", "reload_failed",
                            "could not reload the configuration: " + err.getMessage(), 0)));
        }
    }

    /** {@code POST /admin/endpoints/{id}/drain} or {@code /undrain}. */
    private void lifecycle(HttpServerRequest request) {
        String rest = request.path().substring(ENDPOINTS_PREFIX.length());
        int slash = rest.lastIndexOf('/');
        String action = slash < 0 ? "" : rest.substring(slash + 1);
        Lifecycle target = switch (action) {
            case "drain" -> Lifecycle.DRAINING;
            case "undrain" -> Lifecycle.READY;
            default -> null;
        };
        if (target == null) {
            error(request, ApiError.notFound(request.method().name(), request.path()));
            return;
        }
        String id = rest.substring(0, slash);
        int slot = fleet.snapshot().slotOf(id);
        if (slot < 0 || fleet.snapshot().load(slot).lifecycle() == Lifecycle.REMOVED) {
            MembershipRoutes.notFound(request, id);
            return;
        }
        if (target == Lifecycle.READY && membership.leaving(id)) {
            error(request, new ApiError(409, "invalid_request_error", "endpoint_leaving", "endpoint: '" + id
                    + "' is leaving the fleet (DELETE, a configuration reload or an autoscaler release) and is removed"
                    + " once idle, so it cannot be undrained; POST it again once it is gone", 0));
            return;
        }
        fleet.updateLoad(slot, load -> load.withLifecycle(target));
        sendJson(request, 200, Map.of("endpoint", id, "lifecycle", target.name().toLowerCase(Locale.ROOT),
                "in_flight", fleet.count(slot)));
    }

    private List<EndpointEntry> endpoints() {
        FleetSnapshot snapshot = fleet.snapshot();
        List<EndpointEntry> out = new ArrayList<>(snapshot.size());
        for (int slot = 0; slot < snapshot.size(); slot++) {
            if (snapshot.load(slot).lifecycle() == Lifecycle.REMOVED) {
                continue;
            }
            out.add(EndpointEntry.of(snapshot, fleet, slot, saturation));
        }
        return out;
    }

    private void sendJson(HttpServerRequest request, int status, Object body) {
        JsonAnswer.send(request, json, status, body);
    }

    private static void error(HttpServerRequest request, ApiError error) {
        error.sendTo(request.response());
    }
}
