package io.infergate.gateway.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.flow.SaturationThresholds;
import io.infergate.core.scale.PoolReading;
import io.infergate.gateway.api.ApiError;
import io.infergate.gateway.api.BoundedBody;
import io.infergate.gateway.config.ConfigError;
import io.infergate.gateway.config.ConfigException;
import io.infergate.gateway.config.ConfigLoader;
import io.infergate.gateway.config.EndpointConfig;
import io.infergate.gateway.config.PoolConfig;
import io.infergate.gateway.fleet.FleetState;
import io.infergate.gateway.membership.FleetMembership;
import io.infergate.gateway.scale.ScalingTarget;
import io.infergate.gateway.scale.UnreadablePoolException;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The admin API's membership routes, what an autoscaler in its own process acts through:
 * <ul>
 *   <li>{@code POST /admin/endpoints} with an endpoint as JSON (the keys of a {@code pools[].endpoints[]}
 *       entry and {@code pool}): it joins the fleet (scraped, probed, routed to), 201 with its entry;
 *       400 naming the field of a bad body; 409 when the id is in the fleet (one removed before comes
 *       back in its slot if its settings are the same)</li>
 *   <li>{@code DELETE /admin/endpoints/{id}}: it drains, and leaves the fleet once idle; 202 with its
 *       lifecycle and in-flight count, 404 for an id not in the fleet</li>
 *   <li>{@code GET /admin/pools/{pool}/load}: a {@link PoolLoad}, the pool's endpoints with their load
 *       figures and the gateway's in-flight counts, the requests waiting in the gateway's queues for the
 *       pool's models, and the requests finished on the pool (what {@link ScalingTarget#read} gives an
 *       autoscaler)</li>
 * </ul>
 *
 * <pre>{@code
 * curl -X POST localhost:8081/admin/endpoints \
 *      -d '{"pool":"chat","id":"chat-9","url":"http://10.0.0.9:8000","capacity":"preemptible","price_per_hour":0.8}'
 * curl -X DELETE localhost:8081/admin/endpoints/chat-9
 * curl localhost:8081/admin/pools/chat/load
 * }</pre>
 *
 * <p>A configuration reload leaves the endpoints added here alone (see {@code ConfigReload}).
 */
public final class MembershipRoutes {

    static final String ENDPOINTS = "/admin/endpoints";
    static final String POOLS_PREFIX = "/admin/pools/";
    private static final String LOAD_SUFFIX = "/load";
    private static final long MAX_BODY_BYTES = 64 * 1024;
    private static final String BODY = "request body";

    private final ObjectMapper json = new ObjectMapper();
    private final Vertx vertx;
    private final FleetState fleet;
    private final FleetMembership members;
    private final ScalingTarget gateway;
    private final List<PoolConfig> pools;
    private final SaturationThresholds saturation;

    /**
     * @param gateway    the gateway's own view of its pools, read for {@code /admin/pools/{pool}/load}
     * @param pools      the configured pools: an endpoint joins one of them
     * @param saturation flow control's thresholds, whose bound on each endpoint's requests the entries show
     */
    public MembershipRoutes(Vertx vertx, FleetState fleet, FleetMembership members,
                            ScalingTarget gateway, List<PoolConfig> pools, SaturationThresholds saturation) {
        this.saturation = saturation;
        this.vertx = vertx;
        this.fleet = fleet;
        this.members = members;
        this.gateway = gateway;
        this.pools = List.copyOf(pools);
    }

    /** Whether the endpoint drains to leave the fleet (DELETE, a configuration reload, an autoscaler release). */
    boolean leaving(String id) {
        return members.leaving(id);
    }

    /** {@code POST /admin/endpoints}: parsed and added off the event loop. */
    void add(HttpServerRequest request) {
        BoundedBody.read(request, MAX_BODY_BYTES, body -> vertx.executeBlocking(() -> join(body.toString()))
                .onSuccess(answer -> answer.send(request, json))
                .onFailure(err -> new ApiError(500, "server_error", "join_failed",
                        "could not add the endpoint: " + err.getMessage(), 0).sendTo(request.response())),
                error -> error.sendTo(request.response()));
    }

    /** An answer decided off the event loop: a JSON body or an error. */
    private sealed interface Answer {
        void send(HttpServerRequest request, ObjectMapper json);
    }

    private record Body(int status, Object body) implements Answer {
        @Override
        public void send(HttpServerRequest request, ObjectMapper json) {
            JsonAnswer.send(request, json, status, body);
        }
    }

    private record Failure(ApiError error) implements Answer {
        @Override
        public void send(HttpServerRequest request, ObjectMapper json) {
            error.sendTo(request.response());
        }
    }

    private Answer join(String body) {
        EndpointConfig config;
        try {
            config = ConfigLoader.endpoint(body, BODY, pools);
        } catch (ConfigException e) {
            return new Failure(new ApiError(400, "invalid_request_error", "invalid_endpoint",
                    e.errors().stream().map(ConfigError::toString).collect(Collectors.joining("; ")), 0));
        }
        Endpoint endpoint = config.endpoint();
        PoolConfig pool = pools.stream().filter(p -> p.name().equals(endpoint.pool())).findFirst().orElseThrow();
        int slot;
        synchronized (members) { // no other join or leave between the check and the add
            FleetSnapshot snapshot = fleet.snapshot();
            slot = snapshot.slotOf(endpoint.id());
            if (slot >= 0 && snapshot.load(slot).lifecycle() != Lifecycle.REMOVED) {
                return new Failure(conflict("endpoint '" + endpoint.id() + "' is already in the fleet ("
                        + label(snapshot.load(slot).lifecycle()) + "; expected: an id not listed by GET " + ENDPOINTS + ")"));
            }
            try {
                slot = members.add(endpoint, pool.type(), config.metricsUrl(), config.gpuMetricsUrl());
            } catch (IllegalArgumentException e) {
                // a different endpoint under a used id: not the same as an add repeated
                return new Failure(new ApiError(409, "invalid_request_error", "endpoint_id_taken", e.getMessage(), 0));
            }
        }
        return new Body(201, EndpointEntry.of(fleet.snapshot(), fleet, slot, saturation));
    }

    /** {@code DELETE /admin/endpoints/{id}}. */
    void remove(HttpServerRequest request, String id) {
        if (!members.remove(id)) {
            notFound(request, id);
            return;
        }
        int slot = fleet.snapshot().slotOf(id);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("endpoint", id);
        answer.put("lifecycle", label(Lifecycle.DRAINING));
        answer.put("in_flight", fleet.count(slot));
        JsonAnswer.send(request, json, 202, answer);
    }

    /** {@code GET /admin/pools/{pool}/load}; false when the path is not of that form. */
    boolean load(HttpServerRequest request) {
        String path = request.path();
        if (!path.startsWith(POOLS_PREFIX) || !path.endsWith(LOAD_SUFFIX)
                || path.length() <= POOLS_PREFIX.length() + LOAD_SUFFIX.length()) {
            return false;
        }
        String name = path.substring(POOLS_PREFIX.length(), path.length() - LOAD_SUFFIX.length());
        Optional<PoolConfig> pool = pools.stream().filter(p -> p.name().equals(name)).findFirst();
        if (pool.isEmpty()) {
            new ApiError(404, "invalid_request_error", "pool_not_found", "pool: '" + name + "' (expected one of "
                    + pools.stream().map(PoolConfig::name).toList() + ")", 0).sendTo(request.response());
            return true;
        }
        PoolReading reading;
        try {
            reading = gateway.read(name);
        } catch (UnreadablePoolException e) {
            throw new IllegalStateException("the gateway always reads its own pools", e);
        }
        PoolLoad answer = PoolLoad.of(name, pool.get().models(), reading, saturation);
        JsonAnswer.send(request, json, 200, answer);
        return true;
    }

    static void notFound(HttpServerRequest request, String id) {
        new ApiError(404, "invalid_request_error", "endpoint_not_found",
                "endpoint: '" + id + "' (expected one of the ids listed by GET " + ENDPOINTS + ")", 0)
                .sendTo(request.response());
    }

    private static ApiError conflict(String message) {
        return new ApiError(409, "invalid_request_error", "endpoint_exists", message, 0);
    }

    private static String label(Lifecycle lifecycle) {
        return lifecycle.name().toLowerCase(Locale.ROOT);
    }
}
