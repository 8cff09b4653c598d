package io.infergate.gateway.config;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Hedging ({@code retry.hedging:}): a request of a hedged class whose response head has not come
 * back after the pool's recent first-byte percentile gets a second attempt on another endpoint; the
 * first answer wins and the other attempt is cancelled. Each hedge takes one from the pool's retry
 * budget, so hedging can never add more load than retries may.
 *
 * <pre>{@code
 * retry:
 *   hedging: {enabled: true, priorities: [critical], percentile: 95, min_delay_ms: 10, max_attempts: 2}
 * }</pre>
 *
 * @param enabled     off by default: a hedge of a long generation costs GPU time
 * @param priorities  the priority classes hedged; default {@code critical}
 * @param percentile  the pool's first-byte latency percentile a request waits before its hedge; default 95
 * @param minDelay    the shortest wait before a hedge ({@code min_delay_ms}); default 10 ms
 * @param maxAttempts attempts racing at most, the first included (2-8); default 2
 */
public record HedgingConfig(boolean enabled, Set<String> priorities, double percentile, Duration minDelay,
                            int maxAttempts) {

    public static final HedgingConfig DEFAULT = new HedgingConfig(false, Set.of("critical"), 95, Duration.ofMillis(10), 2);

    public HedgingConfig {
        priorities = Set.copyOf(priorities);
        Objects.requireNonNull(minDelay, "minDelay");
    }
}
