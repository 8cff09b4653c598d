package io.infergate.core.limit;

import java.util.Objects;

/**
 * What one request takes from one bucket.
 *
 * <pre>{@code
 * LimitCharge rpm = new LimitCharge("key:k3x9:rpm", LimitKind.REQUESTS, 600, 1);
 * LimitCharge tpm = new LimitCharge("tenant:fraud:tpm", LimitKind.TOKENS, 200_000, 1_500);
 * }</pre>
 *
 * @param bucket    the bucket's name, unique across kinds ({@code key:<id>:rpm}, {@code tenant:<name>:tpm})
 * @param kind      requests or tokens
 * @param perMinute the bucket's limit: its capacity, refilled evenly over a minute
 * @param amount    how much the request takes; for settlement, the correction (negative gives back)
 */
public record LimitCharge(String bucket, LimitKind kind, long perMinute, long amount) {

    public LimitCharge {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(kind, "kind");
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute of bucket '" + bucket + "': " + perMinute + " (expected: >= 1)");
        }
    }

    /** The same bucket with another amount. */
    public LimitCharge withAmount(long newAmount) {
        return new LimitCharge(bucket, kind, perMinute, newAmount);
    }
}
