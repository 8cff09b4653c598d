/**
 * Retries and hedging, as policy: the gateway does the sending. Start with
 * {@link io.infergate.core.retry.RetryPolicy}: given a {@link io.infergate.core.retry.FailedAttempt}
 * (how it failed, an {@link io.infergate.core.retry.AttemptFailure}) and the pool's
 * {@link io.infergate.core.retry.RetryBudget}, it answers with a
 * {@link io.infergate.core.retry.RetryDecision}: retry after a jittered
 * {@link io.infergate.core.retry.Backoff}, or give up and why. Hedging of critical requests is
 * {@link io.infergate.core.retry.HedgingPolicy} (when) over a
 * {@link io.infergate.core.retry.LatencyTracker} (the pool's recent p95), with
 * {@link io.infergate.core.retry.HedgedRequest} keeping score of one request's racing attempts.
 */
package io.infergate.core.retry;
