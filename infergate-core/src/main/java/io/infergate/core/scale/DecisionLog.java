package io.infergate.core.scale;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;

/**
 * The decisions of one pool's autoscaler worth showing: the last one, whatever it was, and the most
 * recent adds and releases (holds come every second and would crowd them out). It also tells the host
 * which decisions to log: adds, releases, and a hold whose reason differs from the decision before.
 *
 * <p>Not thread-safe: {@link PoolScaler} guards it.
 */
final class DecisionLog {

    /** Adds and releases kept. */
    static final int SIZE = 50;

    private final Deque<LoggedDecision> recent = new ArrayDeque<>();
    private Decision last;

    /** Takes in a decision made at {@code nowNanos}; true when it is worth a line in the log. */
    boolean record(Decision decision, long nowNanos) {
        Decision previous = last;
        last = decision;
        boolean acts = decision.action() != ScaleAction.HOLD;
        if (acts) {
            recent.addFirst(new LoggedDecision(nowNanos, decision));
            while (recent.size() > SIZE) {
                recent.removeLast();
            }
        }
        return acts || previous == null || previous.reason() != decision.reason();
    }

    /** The last decision, if any was made. */
    Optional<Decision> last() {
        return Optional.ofNullable(last);
    }

    /** The last {@link #SIZE} adds and releases, newest first. */
    List<LoggedDecision> recent() {
        return List.copyOf(recent);
    }
}
