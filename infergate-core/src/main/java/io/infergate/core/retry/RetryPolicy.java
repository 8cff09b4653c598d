package io.infergate.core.retry;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Decides whether a failed attempt is retried on another endpoint, and after how long.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder().maxAttempts(3).backoff(Backoff.DEFAULT).build();
 * boolean replayable = RetryPolicy.replayable(request.method().name(), true);   // an inference route
 * if (RetryPolicy.charged(failure)) {
 *     charged++;
 * }
 * switch (policy.decide(new FailedAttempt(requestId, attempt, charged, failure, replayable), poolBudget, now)) {
 *     case RetryDecision.Retry retry -> vertx.setTimer(millis(retry.delayNanos()), t -> pickExcludingTriedAndSend());
 *     case RetryDecision.GiveUp giveUp -> answerWithTheAttemptsError(giveUp.reason());
 * }
 * }</pre>
 *
 * <p>The rules, in order:
 * <ol>
 *   <li>never once part of the response reached the client ({@link AttemptFailure.CutMidResponse});</li>
 *   <li>a 5xx status is retried only when it is 500, 502, 503 or 504 (not 501, 505, ...);</li>
 *   <li>a request that may have reached the endpoint (everything but
 *       {@link AttemptFailure.ConnectFailed}) is retried only when it is {@linkplain #replayable
 *       replayable};</li>
 *   <li>at most {@code maxAttempts} {@linkplain #charged charged} attempts: those that failed on their
 *       endpoint's account (5xx, lost connection, per-try timeout). An attempt that reached nobody
 *       ({@link AttemptFailure.ConnectFailed}) or was given up because its endpoint was ejected
 *       ({@link AttemptFailure.EndpointEjected}) or stalled ({@link AttemptFailure.EndpointStalled}) says
 *       nothing about the request, only about an endpoint that is gone, so it does not use up the attempts meant for real server errors; such retries are
 *       capped by {@link #FREE_RETRIES} instead;</li>
 *   <li>a retry takes one from the pool's {@link RetryBudget}, except after an uncharged failure: an
 *       attempt that reached nobody, or whose endpoint is ejected, is replaced rather than added.</li>
 * </ol>
 * Stateless apart from the budget it is handed; safe from any thread.
 */
public final class RetryPolicy {

    /**
     * Retries after uncharged failures one request may make: enough to get past a few dead or ejected
     * endpoints, few enough that a pool whose endpoints are all gone answers within a second.
     */
    public static final int FREE_RETRIES = 4;

    private static final Set<Integer> RETRYABLE_STATUSES = Set.of(500, 502, 503, 504);
    private static final Set<String> IDEMPOTENT_METHODS = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    private final int maxAttempts;
    private final Backoff backoff;

    private RetryPolicy(Builder builder) {
        this.maxAttempts = builder.maxAttempts;
        this.backoff = builder.backoff;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Whether a request may safely reach an endpoint twice. Inference requests may, whatever their
     * method: generating twice costs compute, never correctness. Other routes only when the method
     * is idempotent (RFC 9110 §9.2.2: GET, HEAD, OPTIONS, TRACE, PUT, DELETE).
     */
    public static boolean replayable(String method, boolean inferenceRoute) {
        return inferenceRoute || IDEMPOTENT_METHODS.contains(method.toUpperCase(Locale.ROOT));
    }

    /**
     * Whether {@code failure} counts against {@code maxAttempts}: false when the attempt reached nobody or
     * was given up because its endpoint was ejected or stalled.
     */
    public static boolean charged(AttemptFailure failure) {
        return !(failure instanceof AttemptFailure.ConnectFailed || failure instanceof AttemptFailure.EndpointEjected
                || failure instanceof AttemptFailure.EndpointStalled);
    }

    /** Whether {@code failed} is retried, taking a retry from {@code budget} when it is. */
    public RetryDecision decide(FailedAttempt failed, RetryBudget budget, long nowNanos) {
        Objects.requireNonNull(budget, "budget");
        AttemptFailure failure = failed.failure();
        if (failure instanceof AttemptFailure.CutMidResponse) {
            return new RetryDecision.GiveUp(RetryDecision.Reason.RESPONSE_STARTED);
        }
        if (failure instanceof AttemptFailure.ServerError error && !RETRYABLE_STATUSES.contains(error.status())) {
            return new RetryDecision.GiveUp(RetryDecision.Reason.STATUS_NOT_RETRYABLE);
        }
        boolean reachedNobody = failure instanceof AttemptFailure.ConnectFailed;
        if (!reachedNobody && !failed.replayable()) {
            return new RetryDecision.GiveUp(RetryDecision.Reason.NOT_REPLAYABLE);
        }
        boolean charged = charged(failure);
        if (charged ? failed.charged() >= maxAttempts : failed.attempt() - failed.charged() > FREE_RETRIES) {
            return new RetryDecision.GiveUp(RetryDecision.Reason.ATTEMPTS_EXHAUSTED);
        }
        if (charged && !budget.tryWithdraw(nowNanos)) {
            return new RetryDecision.GiveUp(RetryDecision.Reason.BUDGET_EXHAUSTED);
        }
        return new RetryDecision.Retry(failed.attempt() + 1, backoff.delayNanos(failed.attempt(), failed.requestId()));
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    /** Configures a {@link RetryPolicy}; defaults: 3 attempts, {@link Backoff#DEFAULT}. */
    public static final class Builder {
        private int maxAttempts = 3;
        private Backoff backoff = Backoff.DEFAULT;

        private Builder() {
        }

        /** Attempts in all, the first included: 1 disables retries; default 3. */
        public Builder maxAttempts(int maxAttempts) {
            if (maxAttempts < 1 || maxAttempts > 10) {
                throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: 1-10)");
            }
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder backoff(Backoff backoff) {
            this.backoff = Objects.requireNonNull(backoff, "backoff");
            return this;
        }

        public RetryPolicy build() {
            return new RetryPolicy(this);
        }
    }
}
