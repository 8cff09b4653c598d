package io.infergate.core.predict;

import io.infergate.core.engine.EngineEvent;
import io.infergate.core.engine.EngineModel;
import io.infergate.core.engine.EngineProfile;
import io.infergate.core.engine.EngineStats;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.request.RoutingRequest;

import java.util.HashMap;
import java.util.Map;

/**
 * The ground truth of the predictor's tests: a server simulated by the core's engine timing model in
 * virtual time, whose answers are reported to each request's {@link Dispatch} as the gateway would see
 * them: for a stream the first token, then the running count of tokens, then the usage at the end;
 * for a whole answer only its end and usage. Its speed can be changed between requests, as a GPU that
 * throttles.
 */
final class EngineServer {

    private EngineModel engine;
    private final Map<Long, Sent> sent = new HashMap<>();
    private final Map<Long, Long> lastTokenAt = new HashMap<>();
    private final Map<Dispatch, Long> firstTokenNanos = new HashMap<>();
    private final Map<Dispatch, Long> endToEndNanos = new HashMap<>();
    private long lastFirstTokenNanos = -1;
    private long lastTokenGapNanos = -1;
    /** What each request takes before the engine sees it: request handling, the network. */
    private final long overheadNanos;

    EngineServer(EngineProfile profile) {
        this(profile, 0);
    }

    EngineServer(EngineProfile profile, long overheadNanos) {
        this.engine = new EngineModel(profile);
        this.overheadNanos = overheadNanos;
    }

    /** From now on the server runs as {@code slower} says; only when idle (the engine keeps a request's speed). */
    void slowDown(EngineProfile slower) {
        if (engine.nextEventNanos() != EngineModel.IDLE) {
            throw new IllegalStateException("slow down an idle server only");
        }
        engine = new EngineModel(slower);
    }

    /** {@code request} is sent at {@code nowNanos} and reaches the engine after the overhead; it produces exactly its {@code maxTokens}. */
    void submit(Dispatch dispatch, RoutingRequest request, long nowNanos) {
        sent.put(engine.submit(nowNanos + overheadNanos, request.promptTokens(), request.maxTokens()),
                new Sent(dispatch, request.stream()));
    }

    /** Runs the server until {@code nowNanos}, reporting every token and finish to its dispatch. */
    void runUntil(long nowNanos) {
        for (long t = engine.nextEventNanos(); t != EngineModel.IDLE && t <= nowNanos; t = engine.nextEventNanos()) {
            for (EngineEvent event : engine.advanceTo(t)) {
                Sent request = sent.get(event.requestId());
                Dispatch dispatch = request.dispatch();
                switch (event) {
                    case EngineEvent.Token token when token.first() -> {
                        if (request.streamed()) {
                            dispatch.firstToken(token.atNanos());
                        }
                        lastFirstTokenNanos = token.atNanos() - dispatch.sentAtNanos();
                        firstTokenNanos.put(dispatch, lastFirstTokenNanos);
                        lastTokenAt.put(token.requestId(), token.atNanos());
                    }
                    case EngineEvent.Token token -> {
                        if (request.streamed()) {
                            dispatch.tokens(token.index() + 1, token.atNanos());
                        }
                        lastTokenGapNanos = token.atNanos() - lastTokenAt.put(token.requestId(), token.atNanos());
                    }
                    case EngineEvent.Finished done -> {
                        dispatch.finished(done.outputTokens(), done.atNanos());
                        endToEndNanos.put(dispatch, done.atNanos() - dispatch.sentAtNanos());
                        sent.remove(done.requestId());
                        lastTokenAt.remove(done.requestId());
                    }
                }
            }
        }
    }

    /** Runs until nothing is left to do; returns the time then. */
    long runUntilIdle() {
        long last = 0;
        for (long t = engine.nextEventNanos(); t != EngineModel.IDLE; t = engine.nextEventNanos()) {
            runUntil(t);
            last = t;
        }
        return last;
    }

    /** A scrape of the server now, as the gateway's scraper would map it. */
    EndpointLoad scrape(long nowNanos, int inFlightAtScrape) {
        EngineStats stats = engine.stats();
        return new EndpointLoad(stats.waiting(), stats.running(), stats.kvCacheUsage(), Double.NaN, Double.NaN,
                inFlightAtScrape, nowNanos, false, true, Lifecycle.READY);
    }

    private record Sent(Dispatch dispatch, boolean streamed) {
    }

    /** The time to first token {@code dispatch}'s request took. */
    long firstTokenNanos(Dispatch dispatch) {
        return firstTokenNanos.get(dispatch);
    }

    /** The time from sending to the end of {@code dispatch}'s answer. */
    long endToEndNanos(Dispatch dispatch) {
        return endToEndNanos.get(dispatch);
    }

    /** The time to first token of the last request that got one. */
    long lastFirstTokenNanos() {
        return lastFirstTokenNanos;
    }

    /** The gap between the last two tokens of one request. */
    long lastTokenGapNanos() {
        return lastTokenGapNanos;
    }
}
