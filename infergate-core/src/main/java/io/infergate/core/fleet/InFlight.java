package io.infergate.core.fleet;

/**
 * The gateway's live count of requests it has sent to each endpoint and not yet seen finish,
 * indexed by the endpoint's slot in a {@link FleetSnapshot}. The gateway backs it with atomic
 * counters, the simulator with a plain array; the scheduler only reads it.
 */
@FunctionalInterface
public interface InFlight {

    int count(int slot);

    /** No requests in flight anywhere. */
    InFlight NONE = slot -> 0;
}
