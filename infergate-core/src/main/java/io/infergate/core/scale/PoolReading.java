package io.infergate.core.scale;

import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;

import java.util.List;
import java.util.Objects;

/**
 * One pool as its host sees it at one moment: what a {@link PoolScaler} evaluates. The gateway reads
 * its own fleet; an autoscaler in its own process sums the readings of several gateways.
 *
 * <pre>{@code
 * PoolReading pool = new PoolReading(fleet, inFlight, queuedInTheGateway, completedRequests, List.of());
 * for (int slot = 0; slot < pool.fleet().size(); slot++) {
 *     int sent = pool.inFlight().count(slot);
 * }
 * }</pre>
 *
 * @param fleet             the fleet, at least the pool's endpoints (others may be there: readers filter by pool)
 * @param inFlight          the requests in flight to each endpoint by slot of {@code fleet}, summed over gateways
 * @param queued            requests for the pool's models waiting in the gateways' own queues
 * @param completedRequests requests the gateways finished on the pool's endpoints since they started
 * @param unanswered        gateways that did not answer, each with why (empty for the gateway itself)
 */
public record PoolReading(FleetSnapshot fleet, InFlight inFlight, int queued, long completedRequests,
                          List<String> unanswered) {

    public PoolReading {
        Objects.requireNonNull(fleet, "fleet");
        Objects.requireNonNull(inFlight, "inFlight");
        if (queued < 0) {
            throw new IllegalArgumentException("queued: " + queued + " (expected: >= 0)");
        }
        unanswered = List.copyOf(unanswered);
    }
}
