package io.infergate.core.retry;

import io.infergate.core.time.SlidingCounts;

import java.time.Duration;
import java.util.Objects;

/**
 * Caps the extra load retries and hedges add: over a sliding window, at most
 * {@code minPerSecond * window + ratio * requests} of them, {@code requests} being the first
 * attempts in the window. With the default 20 % and 10 per second, a pool taking 1 000 requests a
 * second can retry 200 of them a second, and a quiet pool can still retry 10 a second. When the
 * whole pool fails, retries stop at the budget instead of multiplying the load on it.
 *
 * <pre>{@code
 * RetryBudget budget = RetryBudget.builder().ratio(0.2).minPerSecond(10).build();   // one per pool
 * budget.onRequest(now);                 // every request's first attempt
 * if (budget.tryWithdraw(now)) {         // before each retry or hedge (RetryPolicy does it)
 *     retry();
 * }
 * }</pre>
 *
 * <p>Safe from any thread: every call takes one short lock.
 */
public final class RetryBudget {

    private static final int REQUESTS = 0;
    private static final int RETRIES = 1;

    private final double ratio;
    private final double minPerWindow;
    private final SlidingCounts counts;

    private RetryBudget(Builder builder) {
        this.ratio = builder.ratio;
        this.minPerWindow = builder.minPerSecond * builder.window.toNanos() / 1e9;
        this.counts = new SlidingCounts(builder.window, 2);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A request's first attempt went out: it earns the budget {@code ratio} of a retry. */
    public synchronized void onRequest(long nowNanos) {
        counts.add(REQUESTS, 1, nowNanos);
    }

    /** Takes one retry from the budget if there is one left; false when the budget is spent. */
    public synchronized boolean tryWithdraw(long nowNanos) {
        if (counts.sum(RETRIES, nowNanos) + 1 > allowed(nowNanos)) {
            return false;
        }
        counts.add(RETRIES, 1, nowNanos);
        return true;
    }

    /** Retries still available in the current window, rounded down; for metrics. */
    public synchronized int remaining(long nowNanos) {
        return (int) Math.max(0, Math.floor(allowed(nowNanos) - counts.sum(RETRIES, nowNanos)));
    }

    private double allowed(long nowNanos) {
        return minPerWindow + ratio * counts.sum(REQUESTS, nowNanos);
    }

    /** Configures a {@link RetryBudget}; defaults: 20 % of requests, at least 10 per second, over 10 s. */
    public static final class Builder {
        private double ratio = 0.2;
        private double minPerSecond = 10;
        private Duration window = Duration.ofSeconds(10);

        private Builder() {
        }

        /** Retries allowed per request, 0-1; default 0.2: retries add at most 20 % to the load. */
        public Builder ratio(double ratio) {
            if (!(ratio >= 0 && ratio <= 1)) {
                throw new IllegalArgumentException("ratio: " + ratio + " (expected: 0-1)");
            }
            this.ratio = ratio;
            return this;
        }

        /** Retries allowed per second however few the requests; default 10. */
        public Builder minPerSecond(double minPerSecond) {
            if (!(minPerSecond >= 0) || Double.isInfinite(minPerSecond)) {
                throw new IllegalArgumentException("minPerSecond: " + minPerSecond + " (expected: a finite number >= 0)");
            }
            this.minPerSecond = minPerSecond;
            return this;
        }

        /** The window requests and retries are counted over; default 10 s. */
        public Builder window(Duration window) {
            Objects.requireNonNull(window, "window");
            if (window.compareTo(Duration.ofMillis(10)) < 0) {
                throw new IllegalArgumentException("window: " + window + " (expected: >= 10 ms)");
            }
            this.window = window;
            return this;
        }

        public RetryBudget build() {
            return new RetryBudget(this);
        }
    }
}
