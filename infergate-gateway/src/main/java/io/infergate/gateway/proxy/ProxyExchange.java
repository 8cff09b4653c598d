package io.infergate.gateway.proxy;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.flow.Admission;
import io.infergate.core.flow.Rejection;
import io.infergate.core.flow.Ticket;
import io.infergate.core.request.RoutingRequest;
import io.infergate.core.retry.AttemptFailure;
import io.infergate.core.retry.FailedAttempt;
import io.infergate.core.retry.RetryDecision;
import io.infergate.core.schedule.Pick;
import io.infergate.gateway.api.ApiError;
import io.infergate.gateway.api.BadRequestException;
import io.infergate.gateway.api.InferenceBody;
import io.infergate.gateway.api.InferenceBodyReader;
import io.infergate.gateway.api.PromptPrefixHasher;
import io.infergate.gateway.flow.Caller;
import io.infergate.gateway.flow.Classification;
import io.infergate.gateway.flow.FlowGate;
import io.infergate.gateway.observe.Outcome;
import io.infergate.gateway.observe.PickLog;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request's way through the gateway: read the routing fields, pass flow control (which may keep
 * the request waiting, off the event loop, until the pool has room for its class), pick an endpoint,
 * send, and relay the response chunk by chunk with back-pressure. Every attempt's outcome goes to the
 * outlier detector. An attempt that fails before anything reached the client (connect error, 5xx, lost
 * connection, no response head within the per-try timeout) is retried on another endpoint when the
 * retry policy and the pool's budget allow, after a jittered backoff; a 5xx body is read and dropped
 * first, and relayed only when the policy gives up. Once the response has begun, a failing endpoint
 * ends a token stream with an SSE error event, or resets a plain response, so that a cut response
 * never looks complete.
 *
 * <p>All methods run on the event loop of the client's connection; the flow gate's callbacks, which
 * may come from any thread, move there first.
 */
final class ProxyExchange {

    private static final String EVENT_STREAM = "text/event-stream";

    private final InferenceProxy proxy;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final String requestId;
    private final long startNanos;
    private final Buffer body;
    private final Context context = Vertx.currentContext();

    private InferenceBody inference;
    /** This request's place in the flow gate's queue while it waits, else null. */
    private Ticket<FlowGate.Waiter> ticket;
    private RoutingRequest routing;
    private Set<String> excluded = Set.of();
    private int attempts;
    private int slot = -1;
    private Endpoint endpoint;
    private HttpClientRequest upstreamRequest;
    private long sentNanos;
    private long perTryTimer = -1;
    private long backoffTimer = -1;
    private UpstreamError lastServerError;
    private boolean firstByteRelayed;
    private boolean eventStream;
    private boolean finished;
    /** Hears the response; from the admission guard. */
    private ExchangeListener listener = ExchangeListener.NONE;
    private boolean forwardAuthorization = true;

    /** A 5xx answer read in full, kept to relay if no retry follows. */
    private record UpstreamError(int status, MultiMap headers, Buffer body) {
    }

    ProxyExchange(InferenceProxy proxy, HttpServerRequest request, String requestId, long startNanos, Buffer body) {
        this.proxy = proxy;
        this.request = request;
        this.response = request.response();
        this.requestId = requestId;
        this.startNanos = startNanos;
        this.body = body;
    }

    void start() {
        byte[] bytes = body.getBytes();
        try {
            inference = InferenceBodyReader.read(bytes);
        } catch (BadRequestException e) {
            proxy.respondError(request, requestId, ApiError.badRequest(e.getMessage()), "unknown", startNanos);
            return;
        }
        proxy.guard().check(request, inference).onSuccess(decision -> {
            switch (decision) {
                case AdmissionGuard.Refuse refuse -> {
                    refuse.headers().forEach(response::putHeader);
                    proxy.respondError(request, requestId, refuse.error(), inference.model(), startNanos);
                }
                case AdmissionGuard.Pass pass -> {
                    listener = pass.listener();
                    forwardAuthorization = !pass.authenticated();
                    if (context == Vertx.currentContext()) {
                        proceed(pass.caller(), bytes);
                    } else {
                        context.runOnContext(v -> proceed(pass.caller(), bytes));
                    }
                }
            }
        });
    }

    /** Past the guard: classify, then flow control. */
    private void proceed(Caller caller, byte[] bytes) {
        Classification.Classified classified;
        switch (proxy.flow().classifier().classify(request.headers(), startNanos, caller)) {
            case Classification.Invalid invalid -> {
                finishRejected(invalid.error());
                return;
            }
            case Classification.Classified c -> classified = c;
        }
        routing = new RoutingRequest(requestId, inference.model(), inference.estimatedPromptTokens(),
                inference.maxTokens(), inference.stream(), classified.priorityClass(), classified.tenant(), "",
                PromptPrefixHasher.hash(bytes, inference.promptStart(), inference.promptEnd()));
        response.closeHandler(v -> onClientGone());
        switch (proxy.flow().admit(inference.model(), classified.priorityClass(), classified.tenant(),
                classified.deadlineNanos(), new QueuedTurn())) {
            case Admission.Dispatch<FlowGate.Waiter> go -> dispatch();
            case Admission.Queued<FlowGate.Waiter> queued -> ticket = queued.ticket();
            case Admission.Rejected<FlowGate.Waiter> refused -> finishRejected(ApiError.flowRejected(refused.rejection()));
        }
    }

    /** Hears from the flow gate, on any thread, and moves to this exchange's event loop. */
    private final class QueuedTurn implements FlowGate.Waiter {
        @Override
        public void dispatch() {
            context.runOnContext(v -> {
                ticket = null;
                if (finished) {
                    proxy.flow().settle(inference.model());
                } else {
                    ProxyExchange.this.dispatch();
                }
            });
        }

        @Override
        public void reject(Rejection rejection) {
            context.runOnContext(v -> {
                ticket = null;
                finishRejected(ApiError.flowRejected(rejection));
            });
        }
    }

    /** Sends the request, then tells flow control that its room now shows in the in-flight counts. */
    private void dispatch() {
        attempt();
        proxy.flow().settle(inference.model());
    }

    private void attempt() {
        backoffTimer = -1;
        if (finished) {
            return;
        }
        FleetSnapshot fleet = proxy.fleet().snapshot();
        long pickStart = proxy.ticker().read();
        Set<String> avoided = avoided();
        Pick pick = proxy.scheduler().pick(routing, fleet, proxy.fleet(), pickStart, avoided);
        long now = proxy.ticker().read();
        proxy.metrics().recordPick(now - pickStart);
        String chosenId = pick instanceof Pick.Chosen chosen ? chosen.endpointId() : null;
        proxy.picks().record(new PickLog.Entry(routing, fleet, proxy.fleet().frozenInFlight(), pickStart, avoided,
                chosenId, System.currentTimeMillis()));
        switch (pick) {
            case Pick.NoCandidate none when !none.modelServed() -> finishRejected(ApiError.modelNotFound(inference.model()));
            case Pick.NoCandidate none when lastServerError != null -> relayServerError();
            case Pick.NoCandidate none -> finishRejected(ApiError.noHealthyEndpoint(attempts == 0
                    ? none.reason()
                    : "no endpoint could be reached for model '" + inference.model() + "' after " + attempts
                            + " failed attempt(s): " + none.reason()));
            case Pick.Chosen chosen -> {
                Endpoint target = fleet.endpoint(chosen.slot());
                if (attempts == 0) {
                    proxy.resilience().budget(target.pool()).onRequest(now);
                }
                proxy.resilience().prefixes().record(routing, target.id(), now);
                send(chosen.slot(), target);
            }
        }
    }

    /** The endpoints failed on before, and those flow control finds without room for this request's class. */
    private Set<String> avoided() {
        Set<String> full = proxy.flow().fullEndpoints(inference.model(), routing.priority());
        if (full.isEmpty()) {
            return excluded;
        }
        Set<String> both = new HashSet<>(full);
        both.addAll(excluded);
        return both;
    }

    private void send(int chosenSlot, Endpoint chosen) {
        attempts++;
        int attempt = attempts;
        if (attempts == 1) {
            proxy.flow().sent(routing.priority(), proxy.ticker().read() - startNanos);
        }
        slot = chosenSlot;
        endpoint = chosen;
        lastServerError = null;
        proxy.fleet().acquire(slot);
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setAbsoluteURI(chosen.url().resolve(request.uri()).toString())
                .setIdleTimeout(proxy.settings().upstreamIdleTimeout().toMillis())
                .setConnectTimeout(proxy.settings().connectTimeout().toMillis());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        Headers.copyEndToEnd(request.headers(), headers);
        headers.set(Headers.REQUEST_ID, requestId);
        if (!forwardAuthorization) {
            headers.remove(HttpHeaders.AUTHORIZATION);
        }
        options.setHeaders(headers);
        sentNanos = proxy.ticker().read();
        perTryTimer = proxy.vertx().setTimer(proxy.resilience().perTryTimeout().toMillis(), id -> {
            perTryTimer = -1;
            if (current(attempt)) {
                HttpClientRequest abandoned = upstreamRequest;
                failAttempt(new AttemptFailure.TimedOut(), "timeout", "no response head within "
                        + proxy.resilience().perTryTimeout().toMillis() + " ms");
                // After failAttempt: the reset fails the send, whose callback must see a stale attempt.
                if (abandoned != null) {
                    abandoned.reset();
                }
            }
        });
        proxy.client().request(options).onComplete(ar -> {
            if (!current(attempt)) {
                if (ar.succeeded()) {
                    ar.result().reset();
                }
                return;
            }
            if (ar.failed()) {
                failAttempt(new AttemptFailure.ConnectFailed(), "connect", describe(ar.cause()));
                return;
            }
            upstreamRequest = ar.result();
            upstreamRequest.send(body).onComplete(sent -> {
                if (!current(attempt)) {
                    return;
                }
                if (sent.succeeded()) {
                    onResponse(sent.result(), attempt);
                } else if (sent.cause() instanceof TimeoutException) {
                    failAttempt(new AttemptFailure.TimedOut(), "timeout", describe(sent.cause()));
                } else {
                    failAttempt(new AttemptFailure.ConnectionLost(), "upstream_reset", describe(sent.cause()));
                }
            });
        });
    }

    /** True while {@code attempt} is the request's live attempt, i.e. its callbacks still matter. */
    private boolean current(int attempt) {
        return !finished && slot >= 0 && attempt == attempts;
    }

    /**
     * Ends the live attempt as failed before anything reached the client: reports it, then retries on
     * another endpoint after the backoff, or gives up with the most telling answer.
     */
    private void failAttempt(AttemptFailure failure, String kind, String detail) {
        cancelPerTryTimer();
        String id = endpoint.id();
        long now = proxy.ticker().read();
        proxy.fleet().release(slot);
        slot = -1;
        proxy.flow().capacityFreed(inference.model());
        upstreamRequest = null;
        proxy.metrics().proxyError(kind, id);
        proxy.resilience().detector().onFailure(id, now);
        Set<String> next = new HashSet<>(excluded);
        next.add(id);
        excluded = next;
        RetryDecision decision = proxy.resilience().retryPolicy().decide(
                new FailedAttempt(requestId, attempts, failure, true), proxy.resilience().budget(endpoint.pool()), now);
        switch (decision) {
            case RetryDecision.Retry retry -> {
                proxy.metrics().retry(kind);
                long delayMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(retry.delayNanos()));
                backoffTimer = proxy.vertx().setTimer(delayMillis, t -> attempt());
            }
            case RetryDecision.GiveUp giveUp -> {
                proxy.metrics().retryGiveUp(giveUp.reason().label());
                giveUp(failure, id, detail);
            }
        }
    }

    private void giveUp(AttemptFailure failure, String id, String detail) {
        switch (failure) {
            case AttemptFailure.ServerError error when lastServerError != null -> relayServerError();
            case AttemptFailure.TimedOut timedOut -> respondFailed(
                    ApiError.upstreamTimeout("endpoint '" + id + "' did not answer in time: " + detail));
            case AttemptFailure.ConnectFailed connectFailed -> finishRejected(ApiError.noHealthyEndpoint(
                    "could not connect to any endpoint for model '" + inference.model() + "' in " + attempts
                            + " attempt(s); last, '" + id + "': " + detail));
            default -> respondFailed(ApiError.upstreamFailed("endpoint '" + id + "' failed before answering ("
                    + attempts + " attempt(s)): " + detail));
        }
    }

    private void respondFailed(ApiError error) {
        if (!response.ended() && !response.closed()) {
            response.putHeader(Headers.REQUEST_ID, requestId).putHeader(Headers.ENDPOINT, endpoint.id());
            error.sendTo(response);
        }
        finish(Outcome.FAILED);
    }

    /** Relays the last 5xx answer as the endpoint gave it: the retries are over. */
    private void relayServerError() {
        UpstreamError error = lastServerError;
        if (!response.ended() && !response.closed()) {
            response.setStatusCode(error.status());
            Headers.copyEndToEnd(error.headers(), response.headers());
            response.putHeader(Headers.ENDPOINT, endpoint.id());
            response.putHeader(Headers.REQUEST_ID, requestId);
            response.headers().remove(HttpHeaders.TRANSFER_ENCODING);
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(error.body().length()));
            response.end(error.body());
        }
        finish(Outcome.ofStatus(error.status()));
    }

    private void onResponse(HttpClientResponse upstream, int attempt) {
        int status = upstream.statusCode();
        if (status >= 500) {
            // Nothing has reached the client: read the answer to free the connection, then maybe retry.
            upstream.body().onComplete(read -> {
                if (!current(attempt)) {
                    return;
                }
                if (read.failed()) {
                    failAttempt(new AttemptFailure.ConnectionLost(), "upstream_reset", describe(read.cause()));
                    return;
                }
                MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(upstream.headers());
                lastServerError = new UpstreamError(status, headers, read.result());
                failAttempt(new AttemptFailure.ServerError(status), "status_5xx", "HTTP " + status);
            });
            return;
        }
        cancelPerTryTimer();
        long now = proxy.ticker().read();
        proxy.resilience().detector().onSuccess(endpoint.id(), now - sentNanos, now);
        response.setStatusCode(status);
        Headers.copyEndToEnd(upstream.headers(), response.headers());
        response.putHeader(Headers.ENDPOINT, endpoint.id());
        response.putHeader(Headers.REQUEST_ID, requestId);
        listener.onResponseHead(status, response.headers());
        String contentType = upstream.getHeader(HttpHeaders.CONTENT_TYPE);
        eventStream = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith(EVENT_STREAM);
        String length = upstream.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (length != null && !eventStream) {
            response.putHeader(HttpHeaders.CONTENT_LENGTH, length);
        } else {
            response.setChunked(true);
        }
        Outcome outcome = Outcome.ofStatus(status);
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
        listener.onChunk(chunk);
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
        proxy.resilience().detector().onFailure(endpoint.id(), proxy.ticker().read());
        proxy.metrics().retryGiveUp(RetryDecision.Reason.RESPONSE_STARTED.label());
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
        if (ticket != null) {
            proxy.flow().cancel(inference.model(), ticket);
            ticket = null;
        }
        if (upstreamRequest != null) {
            upstreamRequest.reset();
        }
        if (endpoint != null) {
            proxy.metrics().proxyError("client_gone", endpoint.id());
        }
        finish(Outcome.CLIENT_GONE);
    }

    private void finishRejected(ApiError error) {
        if (finished) {
            return;
        }
        finished = true;
        cancelTimers();
        proxy.respondError(request, requestId, error, inference.model(), startNanos);
        listener.onEnd();
    }

    private void finish(Outcome outcome) {
        if (finished) {
            return;
        }
        finished = true;
        cancelTimers();
        if (slot >= 0) {
            proxy.fleet().release(slot);
            slot = -1;
            proxy.flow().capacityFreed(inference.model());
        }
        proxy.metrics().requestDuration(inference.model(), endpoint == null ? "none" : endpoint.id(), outcome)
                .record(proxy.ticker().read() - startNanos, TimeUnit.NANOSECONDS);
        listener.onEnd();
    }

    private void cancelPerTryTimer() {
        if (perTryTimer >= 0) {
            proxy.vertx().cancelTimer(perTryTimer);
            perTryTimer = -1;
        }
    }

    private void cancelTimers() {
        cancelPerTryTimer();
        if (backoffTimer >= 0) {
            proxy.vertx().cancelTimer(backoffTimer);
            backoffTimer = -1;
        }
    }

    private static String describe(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
