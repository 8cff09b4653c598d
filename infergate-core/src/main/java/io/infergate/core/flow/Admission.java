package io.infergate.core.flow;

import java.util.List;
import java.util.Objects;

/**
 * The outcome of {@link FlowController#admit}: go now, wait, or be turned away.
 *
 * <pre>{@code
 * switch (controller.admit(request, headroom, now)) {
 *     case Admission.Dispatch<Call> go -> send(call);
 *     case Admission.Queued<Call> queued -> { park(queued.ticket()); queued.displaced().forEach(this::answer); }
 *     case Admission.Rejected<Call> no -> answer(no.rejection());
 * }
 * }</pre>
 *
 * @param <T> the host's request handle
 */
public sealed interface Admission<T> {

    /** The pool has room for the request's class and nothing of its class or higher waits: send it now. */
    record Dispatch<T>() implements Admission<T> {
    }

    /**
     * The request waits; {@link FlowController#poll} hands it out when capacity frees.
     *
     * @param ticket    its place in the queue, to {@link FlowController#remove} it when the client leaves
     * @param displaced requests this one pushed out of the queues (shed or over their tenant's share),
     *                  to be answered by the host
     */
    record Queued<T>(Ticket<T> ticket, List<Removal<T>> displaced) implements Admission<T> {
        public Queued {
            Objects.requireNonNull(ticket, "ticket");
            displaced = List.copyOf(displaced);
        }
    }

    /** The request may not wait: answer {@link Rejection#status()} with its {@code Retry-After}. */
    record Rejected<T>(Rejection rejection) implements Admission<T> {
        public Rejected {
            Objects.requireNonNull(rejection, "rejection");
        }
    }
}
