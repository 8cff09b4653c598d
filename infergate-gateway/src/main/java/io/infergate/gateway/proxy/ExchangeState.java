package io.infergate.gateway.proxy;

import io.infergate.gateway.event.Outcome;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where one request stands on its way through the gateway. It moves forward only, except that a
 * response whose winner fails before its first byte reached the client goes from {@link #STREAMING}
 * back to {@link #DISPATCHED} for a retry; {@link #DONE}, {@link #FAILED} and {@link #CANCELLED} end it.
 */
enum ExchangeState {
    /** Read and past the guard, not yet through flow control. */
    RECEIVED,
    /** Waiting in the flow-control queue. */
    QUEUED,
    /** Let through: attempts are under way, or a retry waits out its backoff. */
    DISPATCHED,
    /** An attempt won: its response is being relayed. */
    STREAMING,
    /** The endpoint's answer (of any status) was relayed in full. */
    DONE,
    /** Ended with an error: turned away, no endpoint could answer, the response broke off or was cut. */
    FAILED,
    /** The client went away. */
    CANCELLED;

    private Set<ExchangeState> next;

    static {
        RECEIVED.next = EnumSet.of(QUEUED, DISPATCHED, FAILED, CANCELLED);
        QUEUED.next = EnumSet.of(DISPATCHED, FAILED, CANCELLED);
        DISPATCHED.next = EnumSet.of(STREAMING, DONE, FAILED, CANCELLED);
        STREAMING.next = EnumSet.of(DISPATCHED, DONE, FAILED, CANCELLED);
        DONE.next = EnumSet.noneOf(ExchangeState.class);
        FAILED.next = EnumSet.noneOf(ExchangeState.class);
        CANCELLED.next = EnumSet.noneOf(ExchangeState.class);
    }

    /** The state an exchange ends in with {@code outcome}. */
    static ExchangeState endingWith(Outcome outcome) {
        return switch (outcome) {
            case SUCCESS, CLIENT_ERROR, UPSTREAM_ERROR -> DONE;
            case FAILED, REJECTED -> FAILED;
            case CLIENT_GONE -> CANCELLED;
        };
    }

    boolean ended() {
        return next.isEmpty();
    }

    /** {@code target}, when this state may move there; a move that cannot happen is a bug, and throws. */
    ExchangeState to(ExchangeState target) {
        if (!next.contains(target)) {
            throw new IllegalStateException("an exchange cannot go from " + this + " to " + target);
        }
        return target;
    }
}
