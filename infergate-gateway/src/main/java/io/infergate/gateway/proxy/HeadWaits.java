package io.infergate.gateway.proxy;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The attempts of one event loop that are sent and of whose response nothing reached the client yet
 * (no head, or a stream's head and no token): when their endpoint is ejected as down
 * ({@link EjectionWatch}) or stalls ({@link io.infergate.core.health.StallRule}), they are given up at once.
 *
 * <pre>{@code
 * waits.add(attempt);              // when it is sent
 * waits.remove(attempt);           // at a 5xx head, at the first byte relayed, or when it is released
 * waits.endpointDown("ep1");       // fails the attempts still waiting on ep1
 * waits.endpointStalled("ep1");    // the same, counted as a stall
 * }</pre>
 *
 * <p>Confined to its event loop.
 */
final class HeadWaits {

    private final Set<Attempt> waiting = new HashSet<>();

    void add(Attempt attempt) {
        waiting.add(attempt);
    }

    void remove(Attempt attempt) {
        waiting.remove(attempt);
    }

    /** Gives up the attempts waiting on {@code endpointId}, which was ejected as down. */
    void endpointDown(String endpointId) {
        giveUp(endpointId, Attempt::endpointDown);
    }

    /** Gives up the attempts waiting on {@code endpointId}, which stalled. */
    void endpointStalled(String endpointId) {
        giveUp(endpointId, Attempt::endpointStalled);
    }

    private void giveUp(String endpointId, Consumer<Attempt> how) {
        List<Attempt> down = waiting.stream().filter(attempt -> attempt.endpoint().id().equals(endpointId)).toList();
        down.forEach(how);
    }
}
