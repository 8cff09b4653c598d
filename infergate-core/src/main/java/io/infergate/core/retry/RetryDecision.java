package io.infergate.core.retry;

import java.util.Objects;

/** What {@link RetryPolicy#decide} says about a failed attempt. */
public sealed interface RetryDecision {

    /**
     * Send the request again, to another endpoint, after a delay.
     *
     * @param attempt    the number of the attempt to make, 2 for the first retry
     * @param delayNanos how long to wait first
     */
    record Retry(int attempt, long delayNanos) implements RetryDecision {
    }

    /**
     * Do not retry: the request fails with the attempt's error.
     *
     * @param reason why not
     */
    record GiveUp(Reason reason) implements RetryDecision {
        public GiveUp {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why a failed attempt is not retried; {@link #label} names it in logs and metrics. */
    enum Reason {
        /** Part of the response already reached the client: a retry would duplicate or garble it. */
        RESPONSE_STARTED("response-started"),
        /** The endpoint's answer would be the same elsewhere, e.g. 501 Not Implemented. */
        STATUS_NOT_RETRYABLE("status-not-retryable"),
        /** The request may have reached the endpoint and its method is not idempotent. */
        NOT_REPLAYABLE("not-replayable"),
        /** Every attempt allowed was made. */
        ATTEMPTS_EXHAUSTED("attempts-exhausted"),
        /** The pool's {@link RetryBudget} is spent. */
        BUDGET_EXHAUSTED("budget-exhausted");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
