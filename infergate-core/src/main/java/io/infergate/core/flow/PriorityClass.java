package io.infergate.core.flow;

import java.time.Duration;
import java.util.Objects;

/**
 * One priority class of a {@link FlowPolicy}: its name, the bounds of its queue and its order.
 *
 * <p>A class's queue is served first come, first served until its oldest request has waited
 * {@code lifoAfter}; from then on, newest first (adaptive LIFO, as servers under overload do it): a
 * request that has already waited that long has most likely missed what its client wanted, and
 * serving it before newer ones would make them miss it too, so that in a flood nobody is served in
 * time. The old requests still go when the queue drains, or leave at {@code maxWait} with a 503.
 *
 * <pre>{@code
 * PriorityClass images = new PriorityClass("sheddable", 500, Duration.ofSeconds(5), true);
 * }</pre>
 *
 * @param name       the class name, as sent in {@code x-infergate-priority}
 * @param queueLimit most requests of this class waiting at once, per model; 0 means the class never
 *                   waits: while the pool is saturated its requests are rejected at once
 * @param maxWait    longest a request of this class waits for capacity before it is rejected
 * @param sheddable  whether queued requests of this class may be shed to make room for requests of a
 *                   higher class when {@link FlowPolicy#maxQueued()} is reached
 * @param lifoAfter  how long the oldest request waits before the queue is served newest first;
 *                   {@link #FIRST_COME_FIRST_SERVED} for never
 */
public record PriorityClass(String name, int queueLimit, Duration maxWait, boolean sheddable, Duration lifoAfter) {

    /** By default a queue turns to newest first once its oldest request has waited a second. */
    public static final Duration DEFAULT_LIFO_AFTER = Duration.ofSeconds(1);

    /** A {@code lifoAfter} that never comes: the queue is always served first come, first served. */
    public static final Duration FIRST_COME_FIRST_SERVED = Duration.ofNanos(Long.MAX_VALUE);

    /** A class whose queue turns to newest first after {@link #DEFAULT_LIFO_AFTER}. */
    public PriorityClass(String name, int queueLimit, Duration maxWait, boolean sheddable) {
        this(name, queueLimit, maxWait, sheddable, DEFAULT_LIFO_AFTER);
    }

    public PriorityClass {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(lifoAfter, "lifoAfter");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: a non-blank class name)");
        }
        if (queueLimit < 0) {
            throw new IllegalArgumentException("queueLimit of class '" + name + "': " + queueLimit + " (expected: >= 0)");
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait of class '" + name + "': " + maxWait + " (expected: >= 0)");
        }
        if (lifoAfter.isNegative()) {
            throw new IllegalArgumentException("lifoAfter of class '" + name + "': " + lifoAfter + " (expected: >= 0)");
        }
    }
}
