package io.infergate.core.scale;

import java.util.Objects;

/**
 * A {@link Decision} with the {@link io.infergate.core.time.Ticker} time it was made at: what
 * {@link PoolScaler#recentDecisions} lists for the admin API.
 *
 * @param atNanos  ticker time of the evaluation that made it
 * @param decision the decision
 */
public record LoggedDecision(long atNanos, Decision decision) {

    public LoggedDecision {
        Objects.requireNonNull(decision, "decision");
    }
}
