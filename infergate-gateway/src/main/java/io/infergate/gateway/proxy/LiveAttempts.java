package io.infergate.gateway.proxy;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.request.RoutingRequest;
import io.infergate.core.retry.HedgedRequest;
import io.infergate.gateway.event.HedgeEvent;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The attempts of one request that are sent and not yet ended: one, or several while hedges race. When
 * the request is hedged, it also holds the race ({@link HedgedRequest}) and its timer: the timer asks
 * the exchange for a hedge when the response head is late, the first head below 500 wins, and the
 * losers are reset with their endpoint's room given back, counting neither as failures nor as
 * successes of their endpoints.
 *
 * <pre>{@code
 * LiveAttempts live = new LiveAttempts(proxy, this::hedge);
 * Attempt attempt = new Attempt(proxy, slot, target, model, live.startRace(routing, target, now), now, this);
 * live.sent(attempt);
 * // later, on the attempt's head: relay only if live.won(attempt); on its failure: retry unless live.failed(attempt)
 * }</pre>
 *
 * <p>All methods run on the event loop of the client's connection.
 */
final class LiveAttempts {

    private final InferenceProxy proxy;
    /** Called when the hedge timer fires: the exchange picks an endpoint and calls {@link #hedge}. */
    private final Runnable hedgeDue;
    private final List<Attempt> live = new ArrayList<>(2);
    /** The race of the live attempt and its hedges, or null when the request is not hedged. */
    private HedgedRequest race;
    private long hedgeAfterNanos;
    private long hedgeTimer = -1;

    LiveAttempts(InferenceProxy proxy, Runnable hedgeDue) {
        this.proxy = proxy;
        this.hedgeDue = hedgeDue;
    }

    /**
     * Starts a race for an attempt about to go to {@code target} (a first attempt or a retry) and arms its
     * hedge, when the request is hedged and the pool has a latency figure; returns the attempt's number in
     * the race, or 0 when there is no race.
     */
    int startRace(RoutingRequest routing, Endpoint target, long nowNanos) {
        endRace();
        Optional<Hedging> hedging = proxy.resilience().hedging();
        if (hedging.isEmpty()) {
            return 0;
        }
        long after = hedging.get().hedgeAfterNanos(target.pool(), routing, nowNanos);
        if (after < 0) {
            return 0;
        }
        race = hedging.get().policy().newRace();
        hedgeAfterNanos = after;
        armHedge();
        return race.start();
    }

    /**
     * The hedge timer fired and the scheduler chose {@code target}: when the race and the pool's retry
     * budget allow a hedge, counts it, arms the next one and returns its number in the race; else 0.
     */
    int hedge(Endpoint target, long nowNanos) {
        int number = race.tryHedge(proxy.resilience().budget(target.pool()), nowNanos);
        if (number > 0) {
            proxy.observer().hedged(HedgeEvent.SENT);
            armHedge();
        }
        return number;
    }

    /** {@code attempt} was sent: it is live until it fails, loses, or the exchange ends. */
    void sent(Attempt attempt) {
        live.add(attempt);
    }

    /** The ids of the endpoints the live attempts went to: a hedge goes elsewhere. */
    Set<String> endpointIds() {
        Set<String> ids = new HashSet<>();
        live.forEach(attempt -> ids.add(attempt.endpoint().id()));
        return ids;
    }

    /**
     * {@code attempt} failed before its response head: releases it. True while another attempt of its race
     * still runs, and the request goes on with that; false when the race (if any) is over and the failure
     * is the request's, for the retry policy to decide on.
     */
    boolean failed(Attempt attempt) {
        release(attempt);
        if (attempt.raceNumber() > 0 && race != null && race.failed(attempt.raceNumber())) {
            return true;
        }
        endRace();
        return false;
    }

    /**
     * {@code attempt} got a response head below 500: true when its response is the one to relay (it is not
     * racing, or it is the first head, and the others are cancelled); false, after cancelling it, when
     * another won before.
     */
    boolean won(Attempt attempt) {
        if (attempt.raceNumber() == 0) {
            return true;
        }
        switch (race.firstByte(attempt.raceNumber())) {
            case HedgedRequest.FirstByte.Won won -> {
                // The race is over: should the winner still fail before its first byte reaches the client
                // (its endpoint ejected), the request is retried as an unhedged one would be.
                endRace();
                List<Attempt> losers = live.stream().filter(other -> other != attempt).toList();
                losers.forEach(this::cancel);
                if (!losers.isEmpty()) {
                    proxy.observer().hedged(attempt.raceNumber() == 1 ? HedgeEvent.FIRST_WON : HedgeEvent.HEDGE_WON);
                }
                return true;
            }
            case HedgedRequest.FirstByte.Lost lost -> {
                cancel(attempt);
                return false;
            }
        }
    }

    /** A copy of the live attempts, for resetting them once the exchange is over and they are released. */
    List<Attempt> copy() {
        return List.copyOf(live);
    }

    /** The exchange is over: releases the attempts still live, the relayed one included. */
    void releaseAll() {
        List.copyOf(live).forEach(this::release);
    }

    /** Stops the per-try timers and the hedge timer. */
    void cancelTimers() {
        live.forEach(Attempt::cancelPerTryTimer);
        cancelHedgeTimer();
    }

    private void armHedge() {
        hedgeTimer = proxy.vertx().setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(hedgeAfterNanos)), id -> {
            hedgeTimer = -1;
            hedgeDue.run();
        });
    }

    private void endRace() {
        race = null;
        cancelHedgeTimer();
    }

    private void cancelHedgeTimer() {
        if (hedgeTimer >= 0) {
            proxy.vertx().cancelTimer(hedgeTimer);
            hedgeTimer = -1;
        }
    }

    /** Abandons an attempt that lost the race: neither a success nor a failure of its endpoint. */
    private void cancel(Attempt attempt) {
        release(attempt);
        attempt.resetUpstream();
    }

    private void release(Attempt attempt) {
        attempt.release();
        live.remove(attempt);
    }
}
