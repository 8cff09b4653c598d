package io.infergate.gateway.security;

import io.infergate.core.limit.BucketSet;
import io.infergate.core.limit.LimitCharge;
import io.infergate.core.limit.LimitDecision;
import io.infergate.core.time.Ticker;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Limits counted in this process: each gateway replica admits the whole limit on its own. The answer
 * is ready when {@link #acquire} returns.
 *
 * <pre>{@code
 * RateLimiter limiter = new LocalRateLimiter(Ticker.system());
 * vertx.setPeriodic(10_000, id -> limiter.forgetFull());
 * }</pre>
 */
public final class LocalRateLimiter implements RateLimiter {

    private final BucketSet buckets = new BucketSet();
    private final Ticker ticker;

    public LocalRateLimiter(Ticker ticker) {
        this.ticker = ticker;
    }

    @Override
    public CompletionStage<LimitDecision> acquire(List<LimitCharge> charges) {
        return CompletableFuture.completedFuture(decide(charges));
    }

    /** {@link #acquire}, answered directly. */
    public LimitDecision decide(List<LimitCharge> charges) {
        return buckets.acquire(charges, ticker.read());
    }

    @Override
    public void adjust(List<LimitCharge> corrections) {
        buckets.adjust(corrections, ticker.read());
    }

    /** Forgets buckets that are full again; call now and then. */
    public void forgetFull() {
        buckets.forgetFull(ticker.read());
    }
}
