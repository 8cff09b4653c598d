package io.infergate.core.flow;

import java.util.Objects;

/**
 * A queued request that leaves its queue without being dispatched: the host answers it with
 * {@link #rejection()}.
 *
 * @param ticket    the request's place in the queue, now void
 * @param rejection why it leaves
 */
public record Removal<T>(Ticket<T> ticket, Rejection rejection) {

    public Removal {
        Objects.requireNonNull(ticket, "ticket");
        Objects.requireNonNull(rejection, "rejection");
    }
}
