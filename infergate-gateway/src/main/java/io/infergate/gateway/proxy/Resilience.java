package io.infergate.gateway.proxy;

import io.infergate.core.health.OutlierDetector;
import io.infergate.core.health.StallRule;
import io.infergate.core.request.RoutingRequest;
import io.infergate.core.retry.RetryBudget;
import io.infergate.core.retry.RetryPolicy;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The shared failure-handling state every {@link ProxyExchange} reports to and asks: the fleet's
 * outlier detector, the retry policy with one budget per pool, how long one attempt may wait for its
 * response head, hedging, the watch that gives up attempts waiting on an endpoint ejected as down, and
 * stall detection.
 *
 * <pre>{@code
 * Resilience resilience = new Resilience(detector, RetryPolicy.builder().maxAttempts(3).build(),
 *         Map.of("chat", RetryBudget.builder().build()), new PerTryTimeout.Fixed(Duration.ofSeconds(60)), Optional.empty(), new EjectionWatch(),
 *         Optional.of(StallDetection.of(StallRule.DEFAULT)));
 * }</pre>
 *
 * @param detector      passive health: told of every attempt's outcome
 * @param retryPolicy   decides whether a failed attempt is retried
 * @param budgets       the retry budget of each pool, by pool name
 * @param perTryTimeout an attempt without a response head after this long fails and may be retried
 * @param hedging       hedging of late requests, when enabled
 * @param ejections     tells each event loop of the endpoints ejected as down
 * @param stalls        stall detection; empty when it is off
 */
public record Resilience(OutlierDetector detector, RetryPolicy retryPolicy, Map<String, RetryBudget> budgets,
                         PerTryTimeout perTryTimeout, Optional<Hedging> hedging,
                         EjectionWatch ejections, Optional<StallDetection> stalls) {

    public Resilience {
        Objects.requireNonNull(detector, "detector");
        Objects.requireNonNull(retryPolicy, "retryPolicy");
        budgets = Map.copyOf(budgets);
        Objects.requireNonNull(perTryTimeout, "perTryTimeout");
        Objects.requireNonNull(hedging, "hedging");
        Objects.requireNonNull(ejections, "ejections");
        Objects.requireNonNull(stalls, "stalls");
    }

    /**
     * The stall threshold of an attempt of {@code request} to {@code pool} sent now
     * ({@link StallDetection#thresholdNanos}), or {@link StallRule#UNWATCHED} when stall detection is off.
     */
    long stallAfterNanos(String pool, RoutingRequest request, long nowNanos) {
        if (stalls.isEmpty()) {
            return StallRule.UNWATCHED;
        }
        return stalls.get().thresholdNanos(pool, request, nowNanos);
    }

    /** The retry budget of {@code pool}; every configured pool has one. */
    RetryBudget budget(String pool) {
        RetryBudget budget = budgets.get(pool);
        if (budget == null) {
            throw new IllegalArgumentException("pool: '" + pool + "' (expected one of: " + budgets.keySet() + ")");
        }
        return budget;
    }
}
