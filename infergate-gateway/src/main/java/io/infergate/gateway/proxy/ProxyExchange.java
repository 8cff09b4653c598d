package io.infergate.gateway.proxy;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.flow.Rejection;
import io.infergate.core.request.RoutingRequest;
import io.infergate.core.retry.AttemptFailure;
import io.infergate.core.retry.FailedAttempt;
import io.infergate.core.retry.RetryDecision;
import io.infergate.core.retry.RetryPolicy;
import io.infergate.core.schedule.Pick;
import io.infergate.gateway.api.ApiError;
import io.infergate.gateway.api.BadRequestException;
import io.infergate.gateway.api.BodyRewriter;
import io.infergate.gateway.api.InferenceBody;
import io.infergate.gateway.api.InferenceBodyReader;
import io.infergate.gateway.api.PromptPrefixHasher;
import io.infergate.gateway.event.ExchangeEnd;
import io.infergate.gateway.event.Outcome;
import io.infergate.gateway.flow.Caller;
import io.infergate.gateway.flow.Classification;
import io.infergate.gateway.flow.FlowGate;
import io.infergate.gateway.flow.FlowLease;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;

import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One request's way through the gateway, from the admission guard to the last byte: read the routing
 * fields, resolve the model (an alias, or a fallback when the model's endpoints are down or full), pass
 * flow control (which may keep the request waiting, off the event loop, until the pool has room for its
 * class), pick an endpoint, and send. Every attempt's outcome goes to the outlier detector. An attempt
 * that fails before anything reached the client (connect error, 5xx, lost connection, no response head
 * within the per-try timeout, its endpoint ejected as down while the head was awaited) is retried on
 * another endpoint when the retry policy and the pool's budget allow, after a jittered backoff; a 5xx
 * answer is relayed only when the policy gives up. When no endpoint of the model is left, the next
 * fallback model takes over.
 *
 * <p>The parts: an {@link Attempt} is one try at one endpoint; {@link LiveAttempts} holds the attempts
 * under way and, for a hedged request, the race among them (the first head wins, the others are reset);
 * the {@link ResponseRelay} relays the winner's response; an {@link UpstreamError} is a 5xx answer kept
 * for relaying.
 *
 * <p>All methods run on the event loop of the client's connection; the flow gate's callbacks, which
 * may come from any thread, move there first.
 */
final class ProxyExchange {

    private final InferenceProxy proxy;
    private final HttpServerRequest request;
    private final HttpServerResponse response;
    private final String requestId;
    private final long startNanos;
    private final Context context = Vertx.currentContext();
    /** The body as received, or with another model name; its {@code priority} is set per pool as it is sent. */
    private Buffer body;

    private InferenceBody inference;
    /** The served model the client's model name resolved to. */
    private String model;
    private ExchangeState state = ExchangeState.RECEIVED;
    /** Its hold on flow control, from admission on; null before. */
    private FlowLease lease;
    private RoutingRequest routing;
    /** Endpoints this request may not use: those its attempts failed on. */
    private Set<String> excluded = Set.of();
    private int attempts;
    /** The failed attempts that count against {@code retry.max_attempts} ({@link RetryPolicy#charged}). */
    private int chargedFailures;
    private final LiveAttempts live;
    private final Attempt.Listener attemptOutcome = new AttemptOutcome();
    private final Consumer<MultiMap> upstreamHeaders = this::writeUpstreamHeaders;
    /** The endpoint of the latest attempt, named in error answers. */
    private Endpoint lastEndpoint;
    private long backoffTimer = -1;
    private UpstreamError lastServerError;
    /** The relay of the winning attempt's response, once it has one. */
    private ResponseRelay relay;
    /** Hears the response; from the admission guard. */
    private ExchangeListener listener = ExchangeListener.NONE;
    private boolean forwardAuthorization = true;

    ProxyExchange(InferenceProxy proxy, HttpServerRequest request, String requestId, long startNanos, Buffer body) {
        this.proxy = proxy;
        this.request = request;
        this.response = request.response();
        this.requestId = requestId;
        this.startNanos = startNanos;
        this.body = body;
        this.live = new LiveAttempts(proxy, this::hedge);
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
        response.closeHandler(v -> onClientGone());
        proxy.drain().add(this);
        lease = proxy.flow().admit(served, classified.priorityClass(), classified.tenant(), classified.deadlineNanos(),
                new QueuedTurn());
        switch (lease.state()) {
            case GRANTED -> dispatch();
            case QUEUED -> {
                state = state.to(ExchangeState.QUEUED);
                if (!proxy.drain().accepting()) {
                    // Arrived on a connection still open after the listeners closed: no time left to wait.
                    answerIfQueued(proxy.drain().refusal());
                }
            }
            default -> finishRejected(ApiError.flowRejected(lease.rejection()));
        }
    }

    /** Sends the request to {@code served} from now on, with the body naming it when the client named another. */
    private void serve(String served) {
        if (!served.equals(routing.model())) {
            proxy.observer().fellBack(model, served);
            routing = routing.withModel(served);
        }
        if (!served.equals(inference.model())) {
            body = Buffer.buffer(BodyRewriter.withModel(body.getBytes(), served));
        }
    }

    private boolean hasRoom(String servedModel) {
        return proxy.flow().hasRoom(servedModel, routing.priority());
    }

    /**
     * Hears from the flow gate, on any thread, and moves to this exchange's event loop. An exchange over by
     * then ignores it: its closed lease settled the grant.
     */
    private final class QueuedTurn implements FlowGate.Waiter {
        @Override
        public void dispatch() {
            context.runOnContext(v -> {
                if (!state.ended()) {
                    ProxyExchange.this.dispatch();
                }
            });
        }

        @Override
        public void reject(Rejection rejection) {
            context.runOnContext(v -> finishRejected(ApiError.flowRejected(rejection)));
        }
    }

    /** Sends the request, then tells flow control that its room now shows in the in-flight counts. */
    private void dispatch() {
        state = state.to(ExchangeState.DISPATCHED);
        attempt();
        lease.settle();
    }

    /** Picks an endpoint and sends the request there: the first attempt, or a retry after a failure. */
    private void attempt() {
        backoffTimer = -1;
        if (state.ended()) {
            return;
        }
        FleetSnapshot fleet = proxy.fleet().snapshot();
        switch (proxy.picker().pick(routing, fleet, excluded)) {
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
                send(chosen.slot(), target, live.startRace(routing, target, now));
            }
        }
    }

    /** The response head is late: sends a hedge to another endpoint, if the race and the budget allow. */
    private void hedge() {
        Set<String> avoided = new HashSet<>(excluded);
        avoided.addAll(live.endpointIds());
        FleetSnapshot fleet = proxy.fleet().snapshot();
        if (proxy.picker().pick(routing, fleet, avoided) instanceof Pick.Chosen chosen) {
            Endpoint target = fleet.endpoint(chosen.slot());
            int number = live.hedge(target, proxy.ticker().read());
            if (number > 0) {
                send(chosen.slot(), target, number);
            }
        }
    }

    private void send(int slot, Endpoint target, int raceNumber) {
        attempts++;
        long now = proxy.ticker().read();
        if (attempts == 1) {
            proxy.flow().sent(routing.priority(), now - startNanos);
        }
        Attempt attempt = new Attempt(proxy, slot, target, routing, raceNumber, now, attemptOutcome);
        live.sent(attempt);
        lastEndpoint = target;
        Buffer sent = proxy.settings().priorityField().bodyFor(target.pool(), body, inference.carriesPriority(),
                routing.priority());
        attempt.send(upstreamOptions(target), upstreamHeaders, sent, TimeUnit.NANOSECONDS.toMillis(
                proxy.resilience().perTryTimeout().nanos(target.pool(), routing, now)),
                proxy.resilience().stallAfterNanos(target.pool(), routing, now));
    }

    /**
     * Puts the request's headers as they go to the endpoint into {@code headers}, the upstream request's
     * own: the client's end-to-end headers and the request id, copied once.
     */
    private void writeUpstreamHeaders(MultiMap headers) {
        Headers.copyEndToEnd(request.headers(), headers);
        headers.set(Headers.REQUEST_ID, requestId);
        if (!forwardAuthorization) {
            headers.remove(HttpHeaders.AUTHORIZATION);
        }
    }

    /**
     * The request as it goes to {@code target}: the client's method, path and query; its headers are
     * {@link #writeUpstreamHeaders written} into the request once it exists. The endpoint's address is set
     * part by part, never as a URL string to parse (which cost more CPU per request than any other step of
     * building the request).
     */
    private RequestOptions upstreamOptions(Endpoint target) {
        URI url = target.url();
        boolean tls = "https".equalsIgnoreCase(url.getScheme());
        String query = request.query();
        return new RequestOptions()
                .setMethod(request.method())
                .setSsl(tls)
                .setHost(url.getHost())
                .setPort(url.getPort() >= 0 ? url.getPort() : tls ? 443 : 80)
                .setURI(query == null ? request.path() : request.path() + "?" + query)
                .setConnectTimeout(proxy.settings().connectTimeout().toMillis())
                // an endpoint's redirect goes back to the client as it is: following it would let the
                // endpoint send the gateway anywhere, past the pool's allowed_endpoints
                .setFollowRedirects(false);
    }

    /** Hears how each attempt went. */
    private final class AttemptOutcome implements Attempt.Listener {
        @Override
        public void onHead(Attempt attempt, HttpClientResponse upstream) {
            if (live.won(attempt)) {
                relay(attempt, upstream);
            }
        }

        @Override
        public void onServerError(Attempt attempt, UpstreamError error) {
            lastServerError = error;
            onFailure(attempt, new AttemptFailure.ServerError(error.status()), "status_5xx", "HTTP " + error.status());
        }

        /**
         * Ends {@code attempt} as failed before anything reached the client and reports it. While a hedge
         * of it still runs, the request goes on with that; otherwise it is retried on another endpoint
         * after the backoff, or given up with the most telling answer.
         */
        @Override
        public void onFailure(Attempt attempt, AttemptFailure failure, String kind, String detail) {
            if (relay != null && relay.winner() == attempt) {
                // Given up before its first byte reached the client (Attempt#endpointDown): the relay stops.
                relay.abandon();
                relay = null;
                state = state.to(ExchangeState.DISPATCHED);
            }
            boolean raceGoesOn = live.failed(attempt);
            String id = attempt.endpoint().id();
            long now = proxy.ticker().read();
            proxy.observer().attemptFailed(attempt.sent(), kind, now);
            Set<String> next = new HashSet<>(excluded);
            next.add(id);
            excluded = next;
            if (RetryPolicy.charged(failure)) {
                chargedFailures++;
            }
            if (raceGoesOn) {
                return;
            }
            RetryDecision decision = proxy.resilience().retryPolicy().decide(new FailedAttempt(requestId, attempts,
                    chargedFailures, failure, true), proxy.resilience().budget(attempt.endpoint().pool()), now);
            switch (decision) {
                case RetryDecision.Retry retry -> {
                    proxy.observer().retried(kind);
                    long delayMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(retry.delayNanos()));
                    backoffTimer = proxy.vertx().setTimer(delayMillis, t -> attempt());
                }
                case RetryDecision.GiveUp giveUp -> {
                    proxy.observer().gaveUp(giveUp.reason());
                    giveUp(failure, id, detail);
                }
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
        if (!response.ended() && !response.closed()) {
            lastServerError.sendTo(response, requestId);
        }
        finish(Outcome.ofStatus(lastServerError.status()));
    }

    /** {@code attempt} won: the observers hear its first byte (a success of its endpoint), and its response is relayed. */
    private void relay(Attempt attempt, HttpClientResponse upstream) {
        long now = proxy.ticker().read();
        long firstByteNanos = now - attempt.sentNanos();
        proxy.observer().firstByte(attempt.sent(), now);
        proxy.resilience().hedging().ifPresent(h -> h.firstByte(attempt.endpoint().pool(), routing, firstByteNanos, now));
        proxy.resilience().perTryTimeout().firstByte(attempt.endpoint().pool(), routing, firstByteNanos, now);
        if (proxy.resilience().stalls().isPresent()) {
            proxy.resilience().stalls().get().firstByte(attempt.endpoint().pool(), routing, firstByteNanos, now);
        }
        state = state.to(ExchangeState.STREAMING);
        relay = new ResponseRelay(proxy, response, listener, new Relayed(attempt));
        relay.relay(attempt, upstream, requestId);
    }

    /** This exchange as the relay of {@code winner}'s response sees it. */
    private final class Relayed implements ResponseRelay.Exchange {
        private final Attempt winner;

        Relayed(Attempt winner) {
            this.winner = winner;
        }

        @Override
        public boolean finished() {
            return state.ended();
        }

        @Override
        public void firstChunkRelayed() {
            proxy.observer().firstChunkRelayed(winner.sent(), proxy.ticker().read() - startNanos);
        }

        @Override
        public void finish(Outcome outcome) {
            ProxyExchange.this.finish(outcome);
        }
    }

    private void onClientGone() {
        if (state.ended()) {
            return;
        }
        // Finish, then reset: a reset fails its attempt at once, and in an exchange still going that failure
        // would count against a healthy endpoint (outlier detector, upstream_reset, stream_cut) and be retried.
        List<Attempt> abandoned = live.copy();
        finish(Outcome.CLIENT_GONE);
        abandoned.forEach(Attempt::resetUpstream);
    }

    /** Runs {@code task} on this exchange's event loop. */
    void onContext(Runnable task) {
        context.runOnContext(v -> task.run());
    }

    /** The gateway stops accepting: a request still waiting in the flow-control queue is answered {@code error}. */
    void answerIfQueued(ApiError error) {
        if (state == ExchangeState.QUEUED) {
            finishRejected(error);
        }
    }

    /**
     * The drain timeout passed with this exchange still running: a stream ends with {@code error} as an SSE
     * event, a response not yet begun is {@code error} (503 with Retry-After), any other is reset.
     */
    void cutShort(ApiError error) {
        if (state.ended()) {
            return;
        }
        if (state == ExchangeState.QUEUED) {
            answerIfQueued(error);
            return;
        }
        List<Attempt> abandoned = live.copy();
        if (relay != null && relay.started()) {
            relay.endWith(error);
        } else if (!response.ended() && !response.closed()) {
            if (relay != null) {
                relay.abandon();
            }
            response.putHeader(Headers.REQUEST_ID, requestId);
            error.sendTo(response);
        }
        // As when the client goes: finish, then reset, so the endpoint is not blamed for the cut.
        finish(Outcome.FAILED);
        abandoned.forEach(Attempt::resetUpstream);
    }

    /** Answers {@code error} from the gateway itself and ends the exchange as failed. */
    private void finishRejected(ApiError error) {
        if (end(ExchangeState.FAILED)) {
            proxy.respondError(request, requestId, error, inference.model(), startNanos);
            listener.onEnd();
            proxy.drain().remove(this);
        }
    }

    private void finish(Outcome outcome) {
        if (end(ExchangeState.endingWith(outcome))) {
            proxy.observer().done(new ExchangeEnd(routing.model(), lastEndpoint == null ? ExchangeEnd.NO_ENDPOINT : lastEndpoint.id(),
                    outcome, proxy.ticker().read() - startNanos));
            listener.onEnd();
            proxy.drain().remove(this);
        }
    }

    /**
     * Moves to {@code target} and lets go of what the exchange holds: its timers, its attempts and its hold
     * on flow control; false, doing nothing, when it was over already. A request still queued leaves the
     * queue only because its client went or the gateway is shutting down, and is counted so.
     */
    private boolean end(ExchangeState target) {
        if (state.ended()) {
            return false;
        }
        state = state.to(target);
        cancelTimers();
        live.releaseAll();
        if (lease != null) {
            lease.close(target == ExchangeState.CANCELLED ? "client_gone" : "shutdown");
        }
        return true;
    }

    private void cancelTimers() {
        live.cancelTimers();
        if (backoffTimer >= 0) {
            proxy.vertx().cancelTimer(backoffTimer);
            backoffTimer = -1;
        }
    }
}
