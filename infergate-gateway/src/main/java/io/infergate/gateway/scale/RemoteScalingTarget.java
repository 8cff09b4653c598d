package io.infergate.gateway.scale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.scale.PoolReading;
import io.infergate.gateway.admin.EndpointEntry;
import io.infergate.gateway.admin.PoolLoad;
import io.infergate.gateway.config.EndpointConfig;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The gateways an autoscaler in its own process scales for, through their admin APIs. A reading sums
 * the pool over every gateway that answers ({@code GET /admin/pools/{pool}/load}, a {@link PoolLoad}):
 * queues, in-flight counts and completions add up; each endpoint's load figures are those of the first
 * gateway that lists it (they all scrape the same server). A gateway that does not answer within the timeout is left out,
 * named in the reading and logged once (and once again when it is back); when none answers the reading
 * fails, and the autoscaler holds. Adds ({@code POST /admin/endpoints}) and drains
 * ({@code DELETE /admin/endpoints/{id}}) go to every gateway.
 *
 * <p>A gateway that missed one (down at the time, or restarted since, which forgets endpoints added at
 * run time) is caught up when a reading finds it answering: an endpoint this target added and has not
 * drained since is added to a gateway that does not list it, and one it drained is drained again on a
 * gateway that lists it as not draining. A drained endpoint is forgotten once every gateway answered
 * without it.
 *
 * <p>Blocking: call it off any event loop (the {@link PoolAutoscaler} runs on its own thread).
 *
 * <pre>{@code
 * ScalingTarget gateways = new RemoteScalingTarget(List.of(URI.create("http://10.0.0.2:8081"),
 *         URI.create("http://10.0.0.3:8081")), Optional.of(adminToken), Duration.ofSeconds(2));
 * PoolReading chat = gateways.read("chat");
 * }</pre>
 */
public final class RemoteScalingTarget implements ScalingTarget, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(RemoteScalingTarget.class.getName());
    /** Tolerant of fields it does not know: a gateway newer than the autoscaler may send more. */
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final List<URI> gateways;
    private final Optional<String> adminToken;
    private final Duration timeout;
    private final HttpClient http;
    /** Gateways whose last request failed, so that each outage is logged once. */
    private final Set<URI> silent = ConcurrentHashMap.newKeySet();
    /** Endpoints added and not drained since: every gateway should list them. */
    private final Map<String, Endpoint> added = new ConcurrentHashMap<>();
    /** Endpoints drained: no gateway should route to them. */
    private final Set<String> drained = ConcurrentHashMap.newKeySet();
    /** Each gateway's finished-request count at its last answer, and the total of what they finished since. */
    private final Map<URI, Long> lastCompleted = new HashMap<>();
    private long completed;
    /** Tells this process's nodes from those of an autoscaler before it, which numbered its own from 1 too. */
    private final String runTag = Long.toString(System.currentTimeMillis() / 1000 % 60_466_176L, 36);

    /**
     * @param gateways   the gateways' admin base URLs, e.g. {@code http://10.0.0.2:8081}
     * @param adminToken the gateways' {@code admin.token}, sent as a bearer token, if they have one
     * @param timeout    how long one request to one gateway may take
     */
    public RemoteScalingTarget(List<URI> gateways, Optional<String> adminToken, Duration timeout) {
        if (gateways.isEmpty()) {
            throw new IllegalArgumentException("gateways: [] (expected: at least one admin URL)");
        }
        this.gateways = gateways.stream().map(RemoteScalingTarget::withoutTrailingSlash).toList();
        this.adminToken = Objects.requireNonNull(adminToken, "adminToken");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
        }
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /** A gateway's answer to one request: its status and body, or why there is none. */
    private record Answer(URI gateway, int status, String body, String failure) {
        boolean ok() {
            return failure.isEmpty() && status / 100 == 2;
        }

        String problem() {
            return failure.isEmpty() ? "HTTP " + status + ": " + body : failure;
        }
    }

    @Override
    public PoolReading read(String pool) throws UnreadablePoolException {
        String path = "/admin/pools/" + URLEncoder.encode(pool, StandardCharsets.UTF_8) + "/load";
        List<Answer> answers = everywhere(gateways, gateway -> request(gateway, path).GET());
        Map<String, EndpointEntry> endpoints = new LinkedHashMap<>();
        List<String> unanswered = new ArrayList<>();
        int queued = 0;
        int gatewaysRead = 0;
        Set<String> drainedListed = new HashSet<>();
        for (Answer answer : answers) {
            Optional<PoolLoad> answered = view(answer, path, unanswered);
            if (answered.isEmpty()) {
                continue;
            }
            PoolLoad view = answered.get();
            gatewaysRead++;
            queued += view.queued();
            countCompleted(answer.gateway(), view.completedRequests());
            Map<String, Lifecycle> listed = new HashMap<>();
            for (EndpointEntry entry : view.endpoints()) {
                endpoints.merge(entry.endpoint().id(), entry, (first, later) ->
                        new EndpointEntry(first.endpoint(), first.load(), first.capacity(), first.inFlight() + later.inFlight()));
                listed.put(entry.endpoint().id(), entry.load().lifecycle());
            }
            catchUp(answer.gateway(), pool, listed);
            listed.keySet().stream().filter(drained::contains).forEach(drainedListed::add);
        }
        if (unanswered.isEmpty()) {
            drained.retainAll(drainedListed);
        }
        if (gatewaysRead == 0) {
            throw new UnreadablePoolException("no gateway answered: " + String.join(", ", unanswered));
        }
        List<EndpointEntry> merged = List.copyOf(endpoints.values());
        FleetSnapshot fleet = FleetSnapshot.of(merged.stream().map(EndpointEntry::endpoint).toList(),
                merged.stream().map(EndpointEntry::load).toList());
        int[] inFlight = merged.stream().mapToInt(EndpointEntry::inFlight).toArray();
        return new PoolReading(fleet, slot -> inFlight[slot], queued, completed, unanswered);
    }

    /** The gateway's view of the pool, or empty, with the gateway and why named in {@code unanswered}. */
    private Optional<PoolLoad> view(Answer answer, String path, List<String> unanswered) {
        if (!answered(answer)) {
            unanswered.add(answer.gateway() + " (" + answer.problem() + ")");
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(answer.body(), PoolLoad.class));
        } catch (JsonProcessingException e) {
            String problem = "unreadable answer: " + e.getOriginalMessage();
            LOG.warning(() -> answer.gateway() + path + ": " + problem + "; left out of the reading");
            unanswered.add(answer.gateway() + " (" + problem + ")");
            return Optional.empty();
        }
    }

    /**
     * Adds what {@code gateway} finished since its last answer to the running total: a gateway that
     * leaves the reading or restarts (its count starts again) must not make the total fall.
     */
    private void countCompleted(URI gateway, long count) {
        Long before = lastCompleted.put(gateway, count);
        if (before != null) {
            completed += count >= before ? count - before : count;
        }
    }

    /** {@code POOL-auto-TAG-}: the gateways keep the ids of nodes an earlier autoscaler process added and released. */
    @Override
    public String nodeIdPrefix(String pool) {
        return pool + "-auto-" + runTag + "-";
    }

    @Override
    public void add(Endpoint endpoint) {
        added.put(endpoint.id(), endpoint);
        drained.remove(endpoint.id());
        everywhere(gateways, gateway -> addOn(gateway, endpoint)).forEach(answer -> checkAdded(answer, endpoint.id()));
    }

    @Override
    public void drain(String endpointId) {
        added.remove(endpointId);
        drained.add(endpointId);
        everywhere(gateways, gateway -> drainOn(gateway, endpointId)).forEach(answer -> checkDrained(answer, endpointId));
    }

    /** Adds to {@code gateway} what it should list and does not, drains what it should not route to and does. */
    private void catchUp(URI gateway, String pool, Map<String, Lifecycle> listed) {
        for (Endpoint endpoint : added.values()) {
            if (endpoint.pool().equals(pool) && !listed.containsKey(endpoint.id())) {
                LOG.info(() -> "gateway " + gateway + " does not list endpoint '" + endpoint.id() + "': adding it");
                checkAdded(send(gateway, addOn(gateway, endpoint)), endpoint.id());
            }
        }
        for (String id : drained) {
            Lifecycle lifecycle = listed.get(id);
            if (lifecycle != null && lifecycle != Lifecycle.DRAINING) {
                LOG.info(() -> "gateway " + gateway + " still routes to drained endpoint '" + id + "': draining it");
                checkDrained(send(gateway, drainOn(gateway, id)), id);
            }
        }
    }

    private HttpRequest.Builder addOn(URI gateway, Endpoint endpoint) {
        String body;
        try {
            body = JSON.writeValueAsString(EndpointConfig.ofNode(endpoint).adminBody());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("endpoint " + endpoint.id() + " does not serialise", e);
        }
        return request(gateway, "/admin/endpoints").header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpRequest.Builder drainOn(URI gateway, String endpointId) {
        return request(gateway, "/admin/endpoints/" + URLEncoder.encode(endpointId, StandardCharsets.UTF_8)).DELETE();
    }

    private static void checkAdded(Answer answer, String endpointId) {
        // endpoint_exists: the gateway has it already (an earlier add that timed out on the way back)
        if (!answer.ok() && !(answer.status() == 409 && answer.body().contains("\"endpoint_exists\""))) {
            LOG.warning(() -> answer.gateway() + ": adding endpoint '" + endpointId + "' failed: " + answer.problem());
        }
    }

    private static void checkDrained(Answer answer, String endpointId) {
        // 404: the gateway no longer has it
        if (!answer.ok() && answer.status() != 404) {
            LOG.warning(() -> answer.gateway() + ": draining endpoint '" + endpointId + "' failed: " + answer.problem());
        }
    }

    private Answer send(URI gateway, HttpRequest.Builder request) {
        return everywhere(List.of(gateway), g -> request).getFirst();
    }

    /** Sends a request to each of {@code targets} at once and waits for every answer (each bounded by the timeout). */
    private List<Answer> everywhere(List<URI> targets, Function<URI, HttpRequest.Builder> request) {
        List<CompletableFuture<Answer>> pending = targets.stream().map(gateway ->
                http.sendAsync(request.apply(gateway).build(), HttpResponse.BodyHandlers.ofString())
                        .handle((response, failure) -> failure == null
                                ? new Answer(gateway, response.statusCode(), response.body(), "")
                                : new Answer(gateway, 0, "", describe(failure)))).toList();
        return pending.stream().map(CompletableFuture::join).toList();
    }

    private HttpRequest.Builder request(URI gateway, String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(timeout);
        adminToken.ifPresent(token -> builder.header("authorization", "Bearer " + token));
        return builder;
    }

    /** True when the gateway answered with a success; logs the first failure of an outage, and the recovery. */
    private boolean answered(Answer answer) {
        boolean ok = answer.ok();
        if (!ok && silent.add(answer.gateway())) {
            LOG.warning(() -> "gateway " + answer.gateway() + " does not answer (" + answer.problem()
                    + "); left out until it does");
        } else if (ok && silent.remove(answer.gateway())) {
            LOG.info(() -> "gateway " + answer.gateway() + " answers again");
        }
        return ok;
    }

    private static String describe(Throwable failure) {
        Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static URI withoutTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
    }

    @Override
    public void close() {
        http.close();
    }
}
