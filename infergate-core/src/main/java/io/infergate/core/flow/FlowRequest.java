package io.infergate.core.flow;

import java.util.Objects;

/**
 * A request asking {@link FlowController#admit} to be let through.
 *
 * <pre>{@code
 * FlowRequest<Call> request = FlowRequest.of(call, "critical", "fraud")
 *         .withDeadline(arrivalNanos + TimeUnit.MILLISECONDS.toNanos(250));
 * }</pre>
 *
 * @param payload       what the host resumes when the request is dispatched
 * @param priorityClass its class name, one of the policy's
 * @param tenant        its tenant, {@code ""} when the gateway is open
 * @param deadlineNanos ticker time after which it must not wait any longer, or {@link #NO_DEADLINE};
 *                      the class's max wait applies too, whichever comes first
 */
public record FlowRequest<T>(T payload, String priorityClass, String tenant, long deadlineNanos) {

    /** The request sets no deadline of its own. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    public FlowRequest {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(priorityClass, "priorityClass");
        Objects.requireNonNull(tenant, "tenant");
    }

    public static <T> FlowRequest<T> of(T payload, String priorityClass, String tenant) {
        return new FlowRequest<>(payload, priorityClass, tenant, NO_DEADLINE);
    }

    public FlowRequest<T> withDeadline(long deadlineNanos) {
        return new FlowRequest<>(payload, priorityClass, tenant, deadlineNanos);
    }
}
