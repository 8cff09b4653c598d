package io.infergate.gateway.proxy;

import io.infergate.core.request.RoutingRequest;
import io.infergate.core.retry.FirstByteTimeouts;

import java.time.Duration;
import java.util.Objects;

/**
 * How long one attempt may wait for its response head before it fails and may be retried elsewhere:
 * the {@code retry.per_try_timeout_ms} the user set, or by default a timeout that adapts to what each
 * pool is observed to need ({@link FirstByteTimeouts}).
 *
 * <pre>{@code
 * PerTryTimeout timeout = new PerTryTimeout.Adaptive(new FirstByteTimeouts(() -> AdaptiveTimeout.builder().build()));
 * long nanos = timeout.nanos("chat", routing, now);      // when an attempt is sent
 * timeout.firstByte("chat", routing, firstByteNanos, now);  // when its response head comes
 * }</pre>
 */
public sealed interface PerTryTimeout {

    /** The timeout of an attempt of {@code request} to an endpoint of {@code pool} sent at {@code nowNanos}. */
    long nanos(String pool, RoutingRequest request, long nowNanos);

    /** The timeout of requests of {@code shape} (one of {@link FirstByteTimeouts#SHAPES}) to {@code pool} now. */
    long nanos(String pool, String shape, long nowNanos);

    /** An attempt of {@code request} to {@code pool} got its response head {@code firstByteNanos} after it was sent. */
    void firstByte(String pool, RoutingRequest request, long firstByteNanos, long nowNanos);

    /** The same timeout for every attempt: {@code per_try_timeout_ms} as the user set it. */
    record Fixed(Duration timeout) implements PerTryTimeout {
        public Fixed {
            if (!timeout.isPositive()) {
                throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
            }
        }

        @Override
        public long nanos(String pool, RoutingRequest request, long nowNanos) {
            return timeout.toNanos();
        }

        @Override
        public long nanos(String pool, String shape, long nowNanos) {
            return timeout.toNanos();
        }

        @Override
        public void firstByte(String pool, RoutingRequest request, long firstByteNanos, long nowNanos) {
        }
    }

    /** The default: a multiple of the recent first-byte p99 of the pool, for requests of the same shape. */
    record Adaptive(FirstByteTimeouts timeouts) implements PerTryTimeout {
        public Adaptive {
            Objects.requireNonNull(timeouts, "timeouts");
        }

        @Override
        public long nanos(String pool, RoutingRequest request, long nowNanos) {
            return timeouts.timeoutNanos(pool, request, nowNanos);
        }

        @Override
        public long nanos(String pool, String shape, long nowNanos) {
            return timeouts.timeoutNanos(pool, shape, nowNanos);
        }

        @Override
        public void firstByte(String pool, RoutingRequest request, long firstByteNanos, long nowNanos) {
            timeouts.record(pool, request, firstByteNanos, nowNanos);
        }
    }
}
