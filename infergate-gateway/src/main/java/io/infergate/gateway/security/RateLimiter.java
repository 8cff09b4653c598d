package io.infergate.gateway.security;

import io.infergate.core.limit.LimitCharge;
import io.infergate.core.limit.LimitDecision;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where requests and tokens per minute are counted: {@link LocalRateLimiter} in this process,
 * {@link RedisRateLimiter} shared by every replica. Neither blocks the caller.
 *
 * <pre>{@code
 * limiter.acquire(charges).thenAccept(decision -> ...);     // all charges or none
 * limiter.adjust(List.of(tpm.withAmount(used - reserved)));  // settle, fire and forget
 * }</pre>
 */
public interface RateLimiter {

    /**
     * Takes every charge or none. The stage may complete on any thread; it fails only with
     * {@link BackendUnavailable}, when limits cannot be checked and the fallback is to refuse.
     */
    CompletionStage<LimitDecision> acquire(List<LimitCharge> charges);

    /** Takes each correction's amount more (negative gives back), without checking room. */
    void adjust(List<LimitCharge> corrections);

    /** Limits cannot be checked now. */
    final class BackendUnavailable extends RuntimeException {
        public BackendUnavailable(String message) {
            super(message, null, false, false);
        }
    }
}
