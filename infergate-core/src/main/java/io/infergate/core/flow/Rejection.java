package io.infergate.core.flow;

import java.util.Objects;

/**
 * Why flow control turned a request away, what to answer and when to come back.
 *
 * <pre>{@code
 * response.setStatusCode(rejection.status())
 *         .putHeader("retry-after", Integer.toString(rejection.retryAfterSeconds()))
 *         .end(rejection.message());
 * }</pre>
 *
 * @param reason            what bound was hit
 * @param priorityClass     the request's class
 * @param retryAfterSeconds when to try again, from the rate at which the pool drains its queue; {@code >= 1}
 * @param message           what happened, for a person
 */
public record Rejection(Reason reason, String priorityClass, int retryAfterSeconds, String message) {

    public Rejection {
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(priorityClass, "priorityClass");
        Objects.requireNonNull(message, "message");
        if (retryAfterSeconds < 1) {
            throw new IllegalArgumentException("retryAfterSeconds: " + retryAfterSeconds + " (expected: >= 1)");
        }
    }

    /** The HTTP status to answer: 429 for a tenant over its share, else 503. */
    public int status() {
        return reason.status;
    }

    /** The bound a rejected request hit. */
    public enum Reason {
        /** The pool is saturated and the class's queue (or the pool's) is full. */
        QUEUE_FULL(503, "queue_full"),
        /** The class's queue is full and the tenant holds more than its weighted share of it. */
        TENANT_OVER_SHARE(429, "tenant_over_share"),
        /** The request waited as long as its class or its own deadline allows, or may not wait at all. */
        DEADLINE(503, "deadline_exceeded"),
        /** A queued request of a sheddable class made room for a request of a higher class. */
        SHED(503, "shed");

        private final int status;
        private final String label;

        Reason(int status, String label) {
            this.status = status;
            this.label = label;
        }

        public int status() {
            return status;
        }

        /** A short name for metrics and error codes, e.g. {@code queue_full}. */
        public String label() {
            return label;
        }
    }
}
