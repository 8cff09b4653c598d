package io.infergate.gateway.proxy;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.flow.Admission;
import io.infergate.core.flow.Rejection;
import io.infergate.core.flow.Ticket;
import io.infergate.core.model.ModelCatalog;
import io.infergate.core.request.RoutingRequest;
import io.infergate.core.retry.AttemptFailure;
import io.infergate.core.retry.FailedAttempt;
import io.infergate.core.retry.HedgedRequest;
import io.infergate.core.retry.RetryDecision;
import io.infergate.core.schedule.Pick;
import io.infergate.gateway.api.ApiError;
import io.infergate.gateway.api.BadRequestException;
import io.infergate.gateway.api.InferenceBody;
import io.infergate.gateway.api.InferenceBodyReader;
import io.infergate.gateway.api.ModelRewriter;
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

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request's way through the gateway: read the routing fields, resolve the model (an alias, or a
 * fallback when the model's endpoints are down or full), pass flow control (which may keep the request
 * waiting, off the event loop, until the pool has room for its class), pick an endpoint, send, and
 * relay the response chunk by chunk with back-pressure. Every attempt's outcome goes to the outlier
 * detector. An attempt that fails before anything reached the client (connect error, 5xx, lost
 * connection, no response head within the per-try timeout) is retried on another endpoint when the
 * retry policy and the pool's budget allow, after a jittered backoff; a 5xx body is read and dropped
 * first, and relayed only when the policy gives up. When no endpoint of the model is left, the next
 * fallback model takes over. A hedged request whose response head is late gets a second attempt on
 * another endpoint; the first head wins and the other attempt is reset. Once the response has begun,
 * a failing endpoint ends a token stream with an SSE error event, or resets a plain response, so that
 * a cut response never looks complete.
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
    private final Context context = Vertx.currentContext();
    /** The body as sent upstream: as received, or with another model name. */
    private Buffer body;

    private InferenceBody inference;
    /** The served model the client's model name resolved to. */
    private String model;
    /** The model flow control admitted the request for. */
    private String admittedModel;
    /** This request's place in the flow gate's queue while it waits, else null. */
    private Ticket<FlowGate.Waiter> ticket;
    private RoutingRequest routing;
    private Set<String> excluded = Set.of();
    private int attempts;
    /** Attempts sent and not yet failed, cancelled or finished: one, or more while a hedge races. */
    private final List<Attempt> live = new ArrayList<>(2);
    /** The attempt whose response is relayed, once its head came. */
    private Attempt winner;
    /** The endpoint of the latest attempt, named in error answers. */
    private Endpoint lastEndpoint;
    /** The race of the live attempt and its hedges, or null when the request is not hedged. */
    private HedgedRequest race;
    private long backoffTimer = -1;
    private long hedgeTimer = -1;
    private UpstreamError lastServerError;
    private boolean firstByteRelayed;
    private boolean eventStream;
    private boolean finished;
    /** Hears the response; from the admission guard. */
    private ExchangeListener listener = ExchangeListener.NONE;
    private boolean forwardAuthorization = true;

    /** A 5xx answer read in full, kept to relay if no retry follows. */
    private record UpstreamError(int status, MultiMap headers, Buffer body, String endpointId) {
    }

    /** One try at one endpoint. */
    private final class Attempt {
        final int slot;
        final Endpoint endpoint;
        /** The model it asks for, which flow control hears about when it ends. */
        final String model;
        /** Its number in {@link #race}, or 0 when the request is not hedged. */
        final int raceNumber;
        final long sentNanos;
        HttpClientRequest upstream;
        long perTryTimer = -1;

        Attempt(int slot, Endpoint endpoint, String model, int raceNumber, long sentNanos) {
            this.slot = slot;
            this.endpoint = endpoint;
            this.model = model;
            this.raceNumber = raceNumber;
            this.sentNanos = sentNanos;
        }

        /** True while this attempt's callbacks still matter. */
        boolean current() {
            return !finished && live.contains(this);
        }

        void cancelPerTryTimer() {
            if (perTryTimer >= 0) {
                proxy.vertx().cancelTimer(perTryTimer);
                perTryTimer = -1;
            }
        }

        /** Takes the attempt out of the live ones and gives its endpoint's room back. */
        void release() {
            cancelPerTryTimer();
            live.remove(this);
            proxy.fleet().release(slot);
            proxy.flow().capacityFreed(model);
        }
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
        Optional<String> resolved = proxy.models().resolve(inference.model());
        if (resolved.isEmpty()) {
            finishRejected(ApiError.modelNotFound(inference.model()));
            return;
        }
        model = resolved.get();
        routing = new RoutingRequest(requestId, model, inference.estimatedPromptTokens(),
                inference.maxTokens(), inference.stream(), classified.priorityClass(), classified.tenant(), "",
                PromptPrefixHasher.hash(bytes, inference.promptStart(), inference.promptEnd()));
        String served = proxy.models().fallbacks(model).isEmpty() ? model
                : proxy.models().choose(model, proxy.fleet().snapshot(), this::hasRoom);
        serve(served);
        admittedModel = served;
        response.closeHandler(v -> onClientGone());
        switch (proxy.flow().admit(served, classified.priorityClass(), classified.tenant(),
                classified.deadlineNanos(), new QueuedTurn())) {
            case Admission.Dispatch<FlowGate.Waiter> go -> dispatch();
            case Admission.Queued<FlowGate.Waiter> queued -> ticket = queued.ticket();
            case Admission.Rejected<FlowGate.Waiter> refused -> finishRejected(ApiError.flowRejected(refused.rejection()));
        }
    }

    /** Sends the request to {@code served} from now on, with the body naming it when the client named another. */
    private void serve(String served) {
        if (!served.equals(routing.model())) {
            proxy.metrics().modelFallback(model, served);
            routing = routing.withModel(served);
        }
        if (!served.equals(inference.model())) {
            body = Buffer.buffer(ModelRewriter.withModel(body.getBytes(), served));
        }
    }

    private boolean hasRoom(String servedModel) {
        return proxy.flow().hasRoom(servedModel, routing.priority());
    }

    /** Hears from the flow gate, on any thread, and moves to this exchange's event loop. */
    private final class QueuedTurn implements FlowGate.Waiter {
        @Override
        public void dispatch() {
            context.runOnContext(v -> {
                ticket = null;
                if (finished) {
                    proxy.flow().settle(admittedModel);
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
        proxy.flow().settle(admittedModel);
    }

    /** Picks an endpoint and sends the request there: the first attempt, or a retry after a failure. */
    private void attempt() {
        backoffTimer = -1;
        if (finished) {
            return;
        }
        FleetSnapshot fleet = proxy.fleet().snapshot();
        switch (pick(fleet, excluded)) {
            case Pick.NoCandidate none -> {
                Optional<String> fallback = proxy.models().nextFallback(model, routing.model(), fleet, this::hasRoom);
                if (fallback.isPresent()) {
                    serve(fallback.get());
                    attempt();
                } else if (lastServerError != null) {
                    relayServerError();
                } else {
                    finishRejected(ApiError.noHealthyEndpoint(attempts == 0 ? none.reason()
                            : "no endpoint could be reached for model '" + routing.model() + "' after " + attempts
                                    + " failed attempt(s): " + none.reason()));
                }
            }
            case Pick.Chosen chosen -> {
                Endpoint target = fleet.endpoint(chosen.slot());
                long now = proxy.ticker().read();
                if (attempts == 0) {
                    proxy.resilience().budget(target.pool()).onRequest(now);
                }
                lastServerError = null;
                send(chosen.slot(), target, startRace(target, now));
            }
        }
    }

    /**
     * Asks the scheduler for an endpoint other than those in {@code mustAvoid} (tried before, or racing),
     * preferring those flow control finds with room for this request's class: a retry whose only
     * candidates are full still goes to one of them rather than failing. Times the pick and records it
     * for {@code /admin/picks}.
     */
    private Pick pick(FleetSnapshot fleet, Set<String> mustAvoid) {
        long pickStart = proxy.ticker().read();
        Set<String> avoided = mustAvoid;
        Set<String> full = proxy.flow().fullEndpoints(routing.model(), routing.priority());
        if (!full.isEmpty()) {
            avoided = new HashSet<>(full);
            avoided.addAll(mustAvoid);
        }
        Pick pick = proxy.scheduler().pick(routing, fleet, proxy.fleet(), pickStart, avoided);
        if (pick instanceof Pick.NoCandidate && avoided != mustAvoid) {
            avoided = mustAvoid;
            pick = proxy.scheduler().pick(routing, fleet, proxy.fleet(), pickStart, avoided);
        }
        proxy.metrics().recordPick(proxy.ticker().read() - pickStart);
        String chosenId = pick instanceof Pick.Chosen chosen ? chosen.endpointId() : null;
        proxy.picks().record(new PickLog.Entry(routing, fleet, proxy.fleet().frozenInFlight(), pickStart, avoided,
                chosenId, System.currentTimeMillis()));
        return pick;
    }

    /**
     * Starts a race for an attempt about to go to {@code target} and arms its hedge, when the request is
     * hedged and the pool has a latency figure; returns the attempt's number in the race, or 0.
     */
    private int startRace(Endpoint target, long now) {
        race = null;
        cancelHedgeTimer();
        if (proxy.resilience().hedging().isEmpty()) {
            return 0;
        }
        Hedging hedging = proxy.resilience().hedging().get();
        long after = hedging.policy().hedgeAfterNanos(routing, hedging.latency(target.pool()), now);
        if (after < 0) {
            return 0;
        }
        race = hedging.policy().newRace();
        armHedge(after);
        return race.start();
    }

    private void armHedge(long afterNanos) {
        hedgeTimer = proxy.vertx().setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(afterNanos)), id -> {
            hedgeTimer = -1;
            hedge(afterNanos);
        });
    }

    /** The response head is late: sends a second attempt to another endpoint, if the race and budget allow. */
    private void hedge(long afterNanos) {
        if (finished || race == null || winner != null) {
            return;
        }
        Set<String> avoided = new HashSet<>(excluded);
        live.forEach(attempt -> avoided.add(attempt.endpoint.id()));
        FleetSnapshot fleet = proxy.fleet().snapshot();
        if (pick(fleet, avoided) instanceof Pick.Chosen chosen) {
            Endpoint target = fleet.endpoint(chosen.slot());
            int number = race.tryHedge(proxy.resilience().budget(target.pool()), proxy.ticker().read());
            if (number > 0) {
                proxy.metrics().hedge("sent");
                send(chosen.slot(), target, number);
                armHedge(afterNanos);
            }
        }
    }

    private void send(int slot, Endpoint target, int raceNumber) {
        attempts++;
        long now = proxy.ticker().read();
        if (attempts == 1) {
            proxy.flow().sent(routing.priority(), now - startNanos);
        }
        proxy.resilience().prefixes().record(routing, target.id(), now);
        Attempt attempt = new Attempt(slot, target, routing.model(), raceNumber, now);
        live.add(attempt);
        lastEndpoint = target;
        proxy.fleet().acquire(slot);
        RequestOptions options = new RequestOptions()
                .setMethod(request.method())
                .setAbsoluteURI(target.url().resolve(request.uri()).toString())
                .setIdleTimeout(proxy.settings().upstreamIdleTimeout().toMillis())
                .setConnectTimeout(proxy.settings().connectTimeout().toMillis());
        MultiMap headers = MultiMap.caseInsensitiveMultiMap();
        Headers.copyEndToEnd(request.headers(), headers);
        headers.set(Headers.REQUEST_ID, requestId);
        if (!forwardAuthorization) {
            headers.remove(HttpHeaders.AUTHORIZATION);
        }
        options.setHeaders(headers);
        attempt.perTryTimer = proxy.vertx().setTimer(proxy.resilience().perTryTimeout().toMillis(), id -> {
            attempt.perTryTimer = -1;
            if (attempt.current()) {
                HttpClientRequest abandoned = attempt.upstream;
                failAttempt(attempt, new AttemptFailure.TimedOut(), "timeout", "no response head within "
                        + proxy.resilience().perTryTimeout().toMillis() + " ms");
                // After failAttempt: the reset fails the send, whose callback must see a stale attempt.
                if (abandoned != null) {
                    abandoned.reset();
                }
            }
        });
        Buffer sent = body;
        proxy.client().request(options).onComplete(ar -> {
            if (!attempt.current()) {
                if (ar.succeeded()) {
                    ar.result().reset();
                }
                return;
            }
            if (ar.failed()) {
                failAttempt(attempt, new AttemptFailure.ConnectFailed(), "connect", describe(ar.cause()));
                return;
            }
            attempt.upstream = ar.result();
            attempt.upstream.send(sent).onComplete(result -> {
                if (!attempt.current()) {
                    return;
                }
                if (result.succeeded()) {
                    onResponse(attempt, result.result());
                } else if (result.cause() instanceof TimeoutException) {
                    failAttempt(attempt, new AttemptFailure.TimedOut(), "timeout", describe(result.cause()));
                } else {
                    failAttempt(attempt, new AttemptFailure.ConnectionLost(), "upstream_reset", describe(result.cause()));
                }
            });
        });
    }

    /**
     * Ends {@code attempt} as failed before anything reached the client and reports it. While a hedge of
     * it still runs, the request goes on with that; otherwise it is retried on another endpoint after
     * the backoff, or given up with the most telling answer.
     */
    private void failAttempt(Attempt attempt, AttemptFailure failure, String kind, String detail) {
        attempt.release();
        String id = attempt.endpoint.id();
        long now = proxy.ticker().read();
        proxy.metrics().proxyError(kind, id);
        proxy.resilience().detector().onFailure(id, now);
        Set<String> next = new HashSet<>(excluded);
        next.add(id);
        excluded = next;
        if (attempt.raceNumber > 0 && race != null && race.failed(attempt.raceNumber)) {
            return;
        }
        race = null;
        cancelHedgeTimer();
        RetryDecision decision = proxy.resilience().retryPolicy().decide(new FailedAttempt(requestId, attempts, failure,
                true), proxy.resilience().budget(attempt.endpoint.pool()), now);
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
                    "could not connect to any endpoint for model '" + routing.model() + "' in " + attempts
                            + " attempt(s); last, '" + id + "': " + detail));
            default -> respondFailed(ApiError.upstreamFailed("endpoint '" + id + "' failed before answering ("
                    + attempts + " attempt(s)): " + detail));
        }
    }

    private void respondFailed(ApiError error) {
        if (!response.ended() && !response.closed()) {
            response.putHeader(Headers.REQUEST_ID, requestId).putHeader(Headers.ENDPOINT, lastEndpoint.id());
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
            response.putHeader(Headers.ENDPOINT, error.endpointId());
            response.putHeader(Headers.REQUEST_ID, requestId);
            response.headers().remove(HttpHeaders.TRANSFER_ENCODING);
            response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(error.body().length()));
            response.end(error.body());
        }
        finish(Outcome.ofStatus(error.status()));
    }

    private void onResponse(Attempt attempt, HttpClientResponse upstream) {
        int status = upstream.statusCode();
        if (status >= 500) {
            // Nothing has reached the client: read the answer to free the connection, then maybe retry.
            upstream.body().onComplete(read -> {
                if (!attempt.current()) {
                    return;
                }
                if (read.failed()) {
                    failAttempt(attempt, new AttemptFailure.ConnectionLost(), "upstream_reset", describe(read.cause()));
                    return;
                }
                MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(upstream.headers());
                lastServerError = new UpstreamError(status, headers, read.result(), attempt.endpoint.id());
                failAttempt(attempt, new AttemptFailure.ServerError(status), "status_5xx", "HTTP " + status);
            });
            return;
        }
        attempt.cancelPerTryTimer();
        if (attempt.raceNumber > 0 && !winRace(attempt)) {
            return;
        }
        winner = attempt;
        long now = proxy.ticker().read();
        long firstByteNanos = now - attempt.sentNanos;
        proxy.resilience().detector().onSuccess(attempt.endpoint.id(), firstByteNanos, now);
        proxy.resilience().hedging().ifPresent(h -> h.latency(attempt.endpoint.pool()).record(firstByteNanos, now));
        response.setStatusCode(status);
        Headers.copyEndToEnd(upstream.headers(), response.headers());
        response.putHeader(Headers.ENDPOINT, attempt.endpoint.id());
        response.putHeader(Headers.MODEL, attempt.model);
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
                // Finish first: the client may send its next request the moment the response ends, and
                // must find this one's slot and limits released.
                finish(outcome);
                response.end();
            }
        });
    }

    /**
     * {@code attempt} got its response head while racing: true when it is the first, after cancelling
     * the others; false, after cancelling it, when another won before.
     */
    private boolean winRace(Attempt attempt) {
        switch (race.firstByte(attempt.raceNumber)) {
            case HedgedRequest.FirstByte.Won won -> {
                cancelHedgeTimer();
                List<Attempt> losers = live.stream().filter(other -> other != attempt).toList();
                losers.forEach(this::cancel);
                if (!losers.isEmpty()) {
                    proxy.metrics().hedge(attempt.raceNumber == 1 ? "first_won" : "hedge_won");
                }
                return true;
            }
            case HedgedRequest.FirstByte.Lost lost -> {
                cancel(attempt);
                return false;
            }
        }
    }

    /** Abandons a racing attempt that lost: neither a success nor a failure of its endpoint. */
    private void cancel(Attempt attempt) {
        attempt.release();
        if (attempt.upstream != null) {
            attempt.upstream.reset();
        }
    }

    private void relay(HttpClientResponse upstream, Buffer chunk) {
        if (finished) {
            return;
        }
        if (!firstByteRelayed) {
            firstByteRelayed = true;
            if (inference.stream()) {
                proxy.metrics().timeToFirstToken(routing.model(), winner.endpoint.id())
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
        String id = winner.endpoint.id();
        proxy.metrics().proxyError("stream_cut", id);
        proxy.resilience().detector().onFailure(id, proxy.ticker().read());
        proxy.metrics().retryGiveUp(RetryDecision.Reason.RESPONSE_STARTED.label());
        ApiError error = ApiError.upstreamFailed("endpoint '" + id + "' failed mid-response: "
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
            proxy.flow().cancel(admittedModel, ticket);
            ticket = null;
        }
        // A copy: a reset fails its attempt at once, which takes it out of the live ones.
        List.copyOf(live).forEach(attempt -> {
            if (attempt.upstream != null) {
                attempt.upstream.reset();
            }
        });
        if (lastEndpoint != null) {
            proxy.metrics().proxyError("client_gone", lastEndpoint.id());
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
        List.copyOf(live).forEach(Attempt::release);
        proxy.metrics().requestDuration(routing.model(), lastEndpoint == null ? "none" : lastEndpoint.id(), outcome)
                .record(proxy.ticker().read() - startNanos, TimeUnit.NANOSECONDS);
        listener.onEnd();
    }

    private void cancelHedgeTimer() {
        if (hedgeTimer >= 0) {
            proxy.vertx().cancelTimer(hedgeTimer);
            hedgeTimer = -1;
        }
    }

    private void cancelTimers() {
        live.forEach(Attempt::cancelPerTryTimer);
        cancelHedgeTimer();
        if (backoffTimer >= 0) {
            proxy.vertx().cancelTimer(backoffTimer);
            backoffTimer = -1;
        }
    }

    private static String describe(Throwable cause) {
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }
}
