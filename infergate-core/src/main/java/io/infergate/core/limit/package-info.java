/**
 * Rate-limit arithmetic: requests and tokens per minute as token buckets, with no I/O and no clock of
 * its own (every call is given {@code nowNanos}). Start with {@link io.infergate.core.limit.BucketSet}:
 * {@code acquire} takes a request's {@link io.infergate.core.limit.LimitCharge}s from all its buckets or
 * from none and answers a {@link io.infergate.core.limit.LimitDecision}; {@code adjust} settles a token
 * reservation against the real usage. {@link io.infergate.core.limit.TokenBucket} is one bucket's
 * formula, which the gateway's Redis script repeats line for line.
 */
package io.infergate.core.limit;
