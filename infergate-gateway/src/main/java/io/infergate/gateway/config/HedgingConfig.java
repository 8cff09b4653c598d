package io.infergate.gateway.config;

import io.infergate.core.retry.HedgingPolicy;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Hedging ({@code retry.hedging:}): a request of a hedged class whose response head has not come
 * back after its pool's recent first-byte percentile for requests of its shape gets a second attempt
 * on another endpoint; the first answer wins and the other attempt is cancelled. Each hedge takes one
 * from the pool's retry budget, so hedging can never add more load than retries may.
 *
 * <pre>{@code
 * retry:
 *   hedging: {enabled: true, priorities: [critical], percentile: 95, min_delay_ms: 10, max_attempts: 2}
 * }</pre>
 *
 * @param enabled     on by default: at the p99, one request in a hundred is duplicated, and a request
 *                    sent to an endpoint that has just hung is answered elsewhere after the p99 rather
 *                    than after its endpoint is found out
 * @param priorities  the priority classes hedged; default every class ({@link HedgingPolicy#ALL_CLASSES})
 * @param percentile  the first-byte latency percentile of its pool and shape a request waits before its hedge; default 99
 * @param minDelay    the shortest wait before a hedge ({@code min_delay_ms}); default 10 ms
 * @param maxAttempts attempts racing at most, the first included (2-8); default 2
 */
public record HedgingConfig(boolean enabled, Set<String> priorities, double percentile, Duration minDelay,
                            int maxAttempts) {

    public static final HedgingConfig DEFAULT = new HedgingConfig(true, HedgingPolicy.ALL_CLASSES, 99, Duration.ofMillis(10), 2);

    public HedgingConfig {
        priorities = Set.copyOf(priorities);
        Objects.requireNonNull(minDelay, "minDelay");
    }
}
