package io.infergate.core.limit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The token buckets of one process, by name, created full on first use. A request's charges (its
 * key's and its tenant's requests and tokens) are taken together or not at all, under one lock, so
 * that a request refused by its tenant's bucket takes nothing from its key's. Thread-safe.
 *
 * <pre>{@code
 * BucketSet buckets = new BucketSet();
 * LimitDecision decision = buckets.acquire(List.of(keyRpm, tenantRpm, keyTpm), ticker.read());
 * ...
 * buckets.adjust(List.of(keyTpm.withAmount(used - reserved)), ticker.read());   // settle the tokens
 * buckets.forgetFull(ticker.read());                                             // now and then
 * }</pre>
 *
 * <p>A bucket whose limit changes (a key re-created with other limits) starts again, full.
 */
public final class BucketSet {

    private final Map<String, TokenBucket> buckets = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();

    /** Takes every charge, or none when one does not fit; charges of amount 0 only report their bucket. */
    public LimitDecision acquire(List<LimitCharge> charges, long nowNanos) {
        List<BucketStatus> statuses = new ArrayList<>(charges.size());
        lock.lock();
        try {
            LimitCharge exceeded = null;
            long retryAfter = 0;
            for (LimitCharge charge : charges) {
                long wait = bucket(charge, nowNanos).nanosUntilFits(charge.amount(), nowNanos);
                if (wait > retryAfter) {
                    retryAfter = wait;
                    exceeded = charge;
                }
            }
            if (exceeded == null) {
                for (LimitCharge charge : charges) {
                    bucket(charge, nowNanos).add(-charge.amount(), nowNanos);
                }
            }
            for (LimitCharge charge : charges) {
                statuses.add(bucket(charge, nowNanos).status(charge.kind(), nowNanos));
            }
            return exceeded == null ? new LimitDecision.Allowed(statuses)
                    : new LimitDecision.Limited(statuses, exceeded, retryAfter);
        } finally {
            lock.unlock();
        }
    }

    /** Takes each correction's amount more (a negative amount gives back) without checking room. */
    public void adjust(List<LimitCharge> corrections, long nowNanos) {
        lock.lock();
        try {
            for (LimitCharge correction : corrections) {
                bucket(correction, nowNanos).add(-correction.amount(), nowNanos);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops buckets that are full again, so that keys and tenants seen once do not stay in memory. */
    public void forgetFull(long nowNanos) {
        lock.lock();
        try {
            buckets.values().removeIf(bucket -> bucket.isFull(nowNanos));
        } finally {
            lock.unlock();
        }
    }

    /** Buckets held; full ones not yet forgotten included. */
    public int size() {
        lock.lock();
        try {
            return buckets.size();
        } finally {
            lock.unlock();
        }
    }

    private TokenBucket bucket(LimitCharge charge, long nowNanos) {
        TokenBucket bucket = buckets.get(charge.bucket());
        if (bucket == null || bucket.perMinute() != charge.perMinute()) {
            bucket = new TokenBucket(charge.perMinute(), nowNanos);
            buckets.put(charge.bucket(), bucket);
        }
        return bucket;
    }
}
