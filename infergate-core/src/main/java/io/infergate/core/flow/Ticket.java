package io.infergate.core.flow;

/**
 * A queued request's place in a {@link FlowController}: returned in {@link Admission.Queued}, handed
 * back by {@link FlowController#poll} when the request may go, or by {@link FlowController#expire}
 * inside a {@link Removal}.
 *
 * @param <T> the host's request handle
 */
public final class Ticket<T> {

    private final T payload;
    private final int rank;
    private final String priorityClass;
    private final String tenant;
    private final long enqueuedAtNanos;
    private final long deadlineNanos;
    private final long sequence;
    private boolean queued = true;

    Ticket(T payload, int rank, String priorityClass, String tenant, long enqueuedAtNanos, long deadlineNanos,
           long sequence) {
        this.payload = payload;
        this.rank = rank;
        this.priorityClass = priorityClass;
        this.tenant = tenant;
        this.enqueuedAtNanos = enqueuedAtNanos;
        this.deadlineNanos = deadlineNanos;
        this.sequence = sequence;
    }

    public T payload() {
        return payload;
    }

    public String priorityClass() {
        return priorityClass;
    }

    public String tenant() {
        return tenant;
    }

    /** Ticker time the request joined the queue. */
    public long enqueuedAtNanos() {
        return enqueuedAtNanos;
    }

    /** Ticker time past which {@link FlowController#expire} removes it. */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    /** True until the request is dispatched, removed or expired. */
    public boolean isQueued() {
        return queued;
    }

    int rank() {
        return rank;
    }

    long sequence() {
        return sequence;
    }

    void leave() {
        queued = false;
    }

    @Override
    public String toString() {
        return "Ticket[" + priorityClass + ", tenant '" + tenant + "', #" + sequence + (queued ? "" : ", gone") + "]";
    }
}
