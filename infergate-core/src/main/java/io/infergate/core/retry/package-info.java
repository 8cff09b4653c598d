/**
 * Retries and hedging, as policy: the gateway does the sending. Start with
 * {@link io.infergate.core.retry.RetryPolicy}: given a {@link io.infergate.core.retry.FailedAttempt}
 * (how it failed, an {@link io.infergate.core.retry.AttemptFailure}) and the pool's
 * {@link io.infergate.core.retry.RetryBudget}, it answers with a
 * {@link io.infergate.core.retry.RetryDecision}: retry after a jittered
 * {@link io.infergate.core.retry.Backoff}, or give up and why. Hedging is
 * {@link io.infergate.core.retry.HedgingPolicy} (when) over the recent first-byte percentile of each
 * pool and request shape ({@link io.infergate.core.retry.FirstByteTimeouts}), with
 * {@link io.infergate.core.retry.HedgedRequest} keeping score of one request's racing attempts.
 */
package io.infergate.core.retry;
