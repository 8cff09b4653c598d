package io.infergate.gateway.proxy;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.request.RoutingRequest;
import io.infergate.core.schedule.Pick;
import io.infergate.gateway.api.ApiError;
import io.infergate.gateway.api.BadRequestException;
import io.infergate.gateway.api.InferenceBody;
import io.infergate.gateway.api.InferenceBodyReader;
import io.infergate.gateway.observe.Outcome;
import io.infergate.gateway.observe.PickLog;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;

import java.net.ConnectException;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request's way through the gateway: read the routing fields, pick an endpoint, send, and relay
 * the response chunk by chunk with back-pressure. A connection that cannot be made is retried on the
 * next best endpoint (nothing has reached the endpoint or the client yet, so this is always safe).
 * Once the response has begun, a failing endpoint ends a token stream with an SSE error event, or
 * resets a plain response, so that a cut response never looks complete to the client.
 *
 * <p>All methods run on the event loop of the client's connection.
 */
final class ProxyExchange {

    private static final String EVENT_STREAM = "text/event-stream";

    private final InferenceProxy proxy;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final String requestId;
    private final long startNanos;
    private final Buffer body;

    private InferenceBody inference;
    private RoutingRequest routing;
    private Set<String> excluded = Set.of();
    private int attempts;
    private int slot = -1;
    private Endpoint endpoint;
    private HttpClientRequest upstreamRequest;
    private boolean firstByteRelayed;
    private boolean eventStream;
    private boolean finished;

    ProxyExchange(InferenceProxy proxy, HttpServerRequest request, String requestId, long startNanos, Buffer body) {
        this.proxy = proxy;
        this.request = request;
        this.response = request.response();
        this.requestId = requestId;
        this.startNanos = startNanos;
        this.body = body;
    }

    void start() {
        try {
            inference = InferenceBodyReader.read(body.getBytes());
        } catch (BadRequestException e) {
            proxy.respondError(request, requestId, ApiError.badRequest(e.getMessage()), "unknown", startNanos);
            return;
        }
        routing = new RoutingRequest(requestId, inference.model(), inference.estimatedPromptTokens(),
                inference.maxTokens(), inference.stream(), "standard", "", "", RoutingRequest.NO_PREFIX);
        response.closeHandler(v -> onClientGone());
        attempt();
    }

    private void attempt() {
        FleetSnapshot fleet = proxy.fleet().snapshot();
        long pickStart = proxy.ticker().read();
        Pick pick = proxy.scheduler().pick(routing, fleet, proxy.fleet(), pickStart, excluded);
        long now = proxy.ticker().read();
        proxy.metrics().recordPick(now - pickStart);
        String chosenId = pick instanceof Pick.Chosen chosen ? chosen.endpointId() : null;
        proxy.picks().record(new PickLog.Entry(routing, fleet, proxy.fleet().frozenInFlight(), pickStart, excluded,
                chosenId, System.currentTimeMillis()));
        switch (pick) {
            case Pick.NoCandidate none when !none.modelServed() -> finishRejected(ApiError.modelNotFound(inference.model()));
            case Pick.NoCandidate none -> finishRejected(ApiError.noHealthyEndpoint(attempts == 0
                    ? none.reason()
                    : "no endpoint could be reached for model '" + inference.model() + "' after " + attempts
                            + " failed attempt(s): " + none.reason()));
            case Pick.Chosen chosen -> send(chosen.slot(), fleet.endpoint(chosen.slot()));
        }
    }

    private void send(int chosenSlot, Endpoint chosen) {
        attempts++;
        slot = chosenSlot;
        endpoint = chosen;
        proxy.fleet().acquire(slot);
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setAbsoluteURI(chosen.url().resolve(request.uri()).toString())
                .setIdleTimeout(proxy.settings().upstreamIdleTimeout().toMillis())
                .setConnectTimeout(proxy.settings().connectTimeout().toMillis());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        Headers.copyEndToEnd(request.headers(), headers);
        headers.set(Headers.REQUEST_ID, requestId);
        options.setHeaders(headers);
        proxy.client().request(options).onComplete(ar -> {
            if (finished) {
                if (ar.succeeded()) {
                    ar.result().reset();
                }
                return;
            }
            if (ar.failed()) {
                onConnectFailed(ar.cause());
                return;
            }
            upstreamRequest = ar.result();
            upstreamRequest.send(body).onComplete(sent -> {
                if (sent.succeeded()) {
                    onResponse(sent.result());
                } else {
                    onFailedBeforeResponse(sent.cause());
                }
            });
        });
    }

    private void onConnectFailed(Throwable cause) {
        String id = endpoint.id();
        proxy.fleet().release(slot);
        proxy.metrics().proxyError("connect", id);
        // Refused connections take the endpoint out of rotation until a scrape or probe sees it again.
        if (cause instanceof ConnectException) {
            proxy.fleet().updateLoad(slot, load -> load.withHealthy(false));
        }
        slot = -1;
        if (attempts < proxy.settings().maxAttempts()) {
            Set<String> next = new HashSet<>(excluded);
            next.add(id);
            excluded = next;
            attempt();
        } else {
            finishRejected(ApiError.noHealthyEndpoint("could not connect to any endpoint for model '"
                    + inference.model() + "' in " + attempts + " attempt(s); last, '" + id + "': " + cause.getMessage()));
        }
    }

    private void onFailedBeforeResponse(Throwable cause) {
        // The request may have reached the endpoint: not retried, as inference is not idempotent.
        boolean timeout = cause instanceof TimeoutException;
        proxy.metrics().proxyError(timeout ? "timeout" : "upstream_reset", endpoint.id());
        ApiError error = timeout
                ? ApiError.upstreamTimeout("endpoint '" + endpoint.id() + "' did not answer in time")
                : ApiError.upstreamFailed("endpoint '" + endpoint.id() + "' failed before answering: " + cause.getMessage());
        if (!finished && !response.ended() && !response.closed()) {
            writeErrorHead(error);
            response.end(error.toJson());
        }
        finish(Outcome.FAILED);
    }

    private void onResponse(HttpClientResponse upstream) {
        if (finished) {
            return;
        }
        response.setStatusCode(upstream.statusCode());
        Headers.copyEndToEnd(upstream.headers(), response.headers());
        response.putHeader(Headers.ENDPOINT, endpoint.id());
        response.putHeader(Headers.REQUEST_ID, requestId);
        String contentType = upstream.getHeader(HttpHeaders.CONTENT_TYPE);
        eventStream = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM);
        String length = upstream.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && !eventStream) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else {
            response.setChunked(true);
        }
        Outcome outcome = Outcome.ofStatus(upstream.statusCode());
        upstream.handler(chunk -> relay(upstream, chunk));
        upstream.exceptionHandler(this::onUpstreamBrokeOff);
        upstream.endHandler(v -> {
            if (!finished) {
                response.end();
                finish(outcome);
            }
        });
    }

    private void relay(HttpClientResponse upstream, Buffer chunk) {
        if (finished) {
            return;
        }
        if (!firstByteRelayed) {
            firstByteRelayed = true;
            if (inference.stream()) {
                proxy.metrics().timeToFirstToken(inference.model(), endpoint.id())
                        .record(proxy.ticker().read() - startNanos, TimeUnit.NANOSECONDS);
            }
        }
        response.write(chunk);
        if (response.writeQueueFull()) {
            upstream.pause();
            response.drainHandler(v -> upstream.resume());
        }
    }

    private void onUpstreamBrokeOff(Throwable cause) {
        if (finished) {
            return;
        }
        proxy.metrics().proxyError("stream_cut", endpoint.id());
        ApiError error = ApiError.upstreamFailed("endpoint '" + endpoint.id() + "' failed mid-response: "
                + (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage()));
        if (eventStream) {
            response.end(error.toSseEvent());
        } else {
            response.reset();
        }
        finish(Outcome.FAILED);
    }

    private void onClientGone() {
        if (finished) {
            return;
        }
        if (upstreamRequest != null) {
            upstreamRequest.reset();
        }
        if (endpoint != null) {
            proxy.metrics().proxyError("client_gone", endpoint.id());
        }
        finish(Outcome.CLIENT_GONE);
    }

    private void writeErrorHead(ApiError error) {
        response.setStatusCode(error.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(Headers.REQUEST_ID, requestId);
        if (endpoint != null) {
            response.putHeader(Headers.ENDPOINT, endpoint.id());
        }
        if (error.retryAfterSeconds() > 0) {
            response.putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(error.retryAfterSeconds()));
        }
    }

    private void finishRejected(ApiError error) {
        if (finished) {
            return;
        }
        finished = true;
        proxy.respondError(request, requestId, error, inference.model(), startNanos);
    }

    private void finish(Outcome outcome) {
        if (finished) {
            return;
        }
        finished = true;
        if (slot >= 0) {
            proxy.fleet().release(slot);
        }
        proxy.metrics().requestDuration(inference.model(), endpoint.id(), outcome)
                .record(proxy.ticker().read() - startNanos, TimeUnit.NANOSECONDS);
    }
}
