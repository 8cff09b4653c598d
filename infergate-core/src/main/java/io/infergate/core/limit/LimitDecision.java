package io.infergate.core.limit;

import java.util.List;

/**
 * The answer to {@link BucketSet#acquire}: every bucket had room and was charged, or one had not and
 * none was.
 *
 * <pre>{@code
 * switch (buckets.acquire(charges, now)) {
 *     case LimitDecision.Allowed allowed -> send(allowed.statuses());
 *     case LimitDecision.Limited limited -> answer429(limited.retryAfterNanos(), limited.exceeded());
 * }
 * }</pre>
 */
public sealed interface LimitDecision {

    /** Each charged bucket's state after the decision, in the order of the charges. */
    List<BucketStatus> statuses();

    /** Every bucket was charged. */
    record Allowed(List<BucketStatus> statuses) implements LimitDecision {
        public Allowed {
            statuses = List.copyOf(statuses);
        }
    }

    /**
     * No bucket was charged.
     *
     * @param exceeded        the charge that did not fit (the one that frees last, when several did not)
     * @param retryAfterNanos when every bucket will have room for its charge
     */
    record Limited(List<BucketStatus> statuses, LimitCharge exceeded, long retryAfterNanos) implements LimitDecision {
        public Limited {
            statuses = List.copyOf(statuses);
        }
    }
}
