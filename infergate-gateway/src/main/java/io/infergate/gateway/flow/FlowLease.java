package io.infergate.gateway.flow;

import io.infergate.core.flow.Rejection;
import io.infergate.core.flow.Ticket;

import java.util.concurrent.atomic.AtomicReference;

/**
 * One request's hold on flow control, from {@link FlowGate#admit}: its place in the queue while it waits,
 * then the grant that counts it in flight until it is {@link #settle settled}. {@link #close} ends the
 * hold whatever it is, once: a queued request leaves the queue, an unsettled grant is settled and its
 * room handed on. Every step is idempotent, so a request can neither leak its grant nor settle it twice,
 * however its client, the queue's tick and its own dispatch interleave.
 *
 * <pre>{@code
 * FlowLease lease = gate.admit(model, "critical", tenant, FlowRequest.NO_DEADLINE, waiter);
 * switch (lease.state()) {
 *     case GRANTED -> { send(); lease.settle(); }
 *     case QUEUED -> { }                                  // the waiter hears later
 *     case REJECTED -> answer(lease.rejection());
 * }
 * lease.close("client_gone");                            // when the request is over, in any state
 * }</pre>
 *
 * <p>The states change on the request's event loop and on the thread that ticks the queue; each change
 * is one compare-and-set, so whichever of two racing steps loses does nothing, or settles the grant it
 * was handed when the lease was already closed.
 */
public final class FlowLease {

    /** Where the request stands with flow control. */
    public enum State {
        /** Waiting in the queue; the waiter hears when it may go or why not. */
        QUEUED,
        /** Let through and counted in flight until {@link #settle}. */
        GRANTED,
        /** Sent: its room shows in the endpoints' in-flight counts. */
        SETTLED,
        /** Turned away, at admission or from the queue. */
        REJECTED,
        /** Over: nothing more happens to it. */
        CLOSED
    }

    private final FlowGate gate;
    private final String model;
    private final FlowGate.Waiter waiter;
    private final AtomicReference<State> state;
    /** Its place in the queue; set under the model's lock when it is queued. */
    private Ticket<FlowLease> ticket;
    private Rejection rejection;

    FlowLease(FlowGate gate, String model, FlowGate.Waiter waiter, State initial) {
        this.gate = gate;
        this.model = model;
        this.waiter = waiter;
        this.state = new AtomicReference<>(initial);
    }

    public State state() {
        return state.get();
    }

    /** The model the request was admitted for. */
    public String model() {
        return model;
    }

    /** Why it was turned away at admission; null otherwise. */
    public Rejection rejection() {
        return rejection;
    }

    /** The granted request was sent (or given up): its grant stops counting. Does nothing in any other state. */
    public void settle() {
        if (state.compareAndSet(State.GRANTED, State.SETTLED)) {
            gate.settleGrant(model);
        }
    }

    /**
     * The request is over: a queued one leaves the queue, counted as rejected for {@code reason} (e.g.
     * {@code client_gone}); an unsettled grant is settled and its room handed to the next request. Later
     * calls do nothing.
     */
    public void close(String reason) {
        while (true) {
            State now = state.get();
            if (now == State.CLOSED || state.compareAndSet(now, State.CLOSED)) {
                switch (now) {
                    case QUEUED -> gate.leaveQueue(ticket, reason);
                    case GRANTED -> {
                        gate.settleGrant(model);
                        gate.capacityFreed(model);
                    }
                    case SETTLED, REJECTED, CLOSED -> {
                    }
                }
                return;
            }
        }
    }

    void queued(Ticket<FlowLease> ticket) {
        this.ticket = ticket;
    }

    void grantedAtOnce() {
        state.set(State.GRANTED);
    }

    void rejected(Rejection rejection) {
        this.rejection = rejection;
        state.set(State.REJECTED);
    }

    /** The queue let it go: the waiter hears, unless the request is over, and then its grant is settled here. */
    void granted() {
        if (state.compareAndSet(State.QUEUED, State.GRANTED)) {
            waiter.dispatch();
        } else {
            gate.settleGrant(model);
        }
    }

    /** The queue pushed it out or it expired: the waiter hears, unless the request is over. */
    void removed(Rejection rejection) {
        if (state.compareAndSet(State.QUEUED, State.REJECTED)) {
            waiter.reject(rejection);
        }
    }
}
