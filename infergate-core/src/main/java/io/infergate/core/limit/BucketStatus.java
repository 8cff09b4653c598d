package io.infergate.core.limit;

/**
 * One bucket after a decision, as the {@code x-ratelimit-*} headers report it.
 *
 * @param kind       requests or tokens
 * @param limit      the bucket's limit per minute
 * @param remaining  what is left now, never below 0
 * @param resetNanos time until the bucket is full again
 */
public record BucketStatus(LimitKind kind, long limit, long remaining, long resetNanos) {
}
