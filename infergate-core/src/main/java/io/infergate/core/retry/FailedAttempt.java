package io.infergate.core.retry;

import java.util.Objects;

/**
 * One failed attempt of a request, as {@link RetryPolicy#decide} needs it.
 *
 * @param requestId  the request, whose id seeds the backoff jitter
 * @param attempt    the number of the attempt that failed, 1 for the first: attempts made in all
 * @param charged    how many of those attempts count against {@code maxAttempts}, this one included when it
 *                   does ({@link RetryPolicy#charged})
 * @param failure    how it failed
 * @param replayable whether the request may be sent twice: {@link RetryPolicy#replayable}
 */
public record FailedAttempt(String requestId, int attempt, int charged, AttemptFailure failure, boolean replayable) {

    public FailedAttempt {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(failure, "failure");
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt: " + attempt + " (expected: >= 1)");
        }
        if (charged < 0 || charged > attempt) {
            throw new IllegalArgumentException("charged: " + charged + " (expected: 0-" + attempt + ")");
        }
    }
}
