package io.infergate.core.flow;

import java.time.Duration;
import java.util.Objects;

/**
 * One priority class of a {@link FlowPolicy}: its name and the bounds of its queue.
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
 */
public record PriorityClass(String name, int queueLimit, Duration maxWait, boolean sheddable) {

    public PriorityClass {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(maxWait, "maxWait");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name: '" + name + "' (expected: a non-blank class name)");
        }
        if (queueLimit < 0) {
            throw new IllegalArgumentException("queueLimit of class '" + name + "': " + queueLimit + " (expected: >= 0)");
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait of class '" + name + "': " + maxWait + " (expected: >= 0)");
        }
    }
}
