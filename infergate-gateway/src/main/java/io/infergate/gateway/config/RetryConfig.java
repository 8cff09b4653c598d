package io.infergate.gateway.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Retries of attempts that failed before the first byte reached the client ({@code retry:}): connect
 * errors, 5xx answers, lost connections and attempts that got no response head in time.
 *
 * <pre>{@code
 * RetryPolicy policy = RetryPolicy.builder().maxAttempts(config.retry().maxAttempts()).build();
 * }</pre>
 *
 * @param maxAttempts   attempts that failed on their endpoint's account (5xx, lost connection, timeout),
 *                      the first included: 1 disables retries; default 3, at most 10. Attempts that reached
 *                      nobody or waited on an endpoint ejected as down do not count (up to 4 of them).
 *                      Each retry goes to the next best endpoint not tried yet.
 * @param perTryTimeout how long one attempt may wait for the response head before it counts as failed
 *                      and is retried elsewhere ({@code per_try_timeout_ms}); unset by default, and then
 *                      adaptive: 4 times the pool's recent first-byte p99 for requests of the same shape,
 *                      5 s to 60 s, and 60 s until the pool has 100 first bytes of that shape in the last
 *                      minute ({@link io.infergate.core.retry.FirstByteTimeouts})
 * @param budgetRatio   retries a pool may add, as a share of its requests ({@code budget_ratio}, 0 to 1);
 *                      default 0.2
 * @param budgetMinPerSecond retries a pool may make per second however few its requests
 *                      ({@code budget_min_per_second}); default 10
 * @param hedging       second attempts for requests whose first byte is late ({@code hedging:}); off by default
 */
public record RetryConfig(int maxAttempts, Optional<Duration> perTryTimeout, double budgetRatio, double budgetMinPerSecond,
                          HedgingConfig hedging) {

    public static final RetryConfig DEFAULT = new RetryConfig(3, Optional.empty(), 0.2, 10, HedgingConfig.DEFAULT);

    public RetryConfig {
        Objects.requireNonNull(perTryTimeout, "perTryTimeout");
        Objects.requireNonNull(hedging, "hedging");
    }
}
