package io.infergate.gateway.fleet;

import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The gateway's live view of the fleet: the current immutable {@link FleetSnapshot}, swapped atomically
 * when a scrape or a health change arrives, and the gateway's own in-flight count per endpoint slot.
 * Readers (the scheduler on every event loop) never lock.
 *
 * <pre>{@code
 * FleetState state = new FleetState(FleetSnapshot.of(endpoints));
 * state.acquire(slot);            // a request was sent to the endpoint
 * state.release(slot);            // it finished, however it ended
 * state.updateLoad(slot, load -> scraped);
 * }</pre>
 */
public final class FleetState implements InFlight {

    private final AtomicReference<FleetSnapshot> snapshot;
    private final AtomicIntegerArray inFlight;

    public FleetState(FleetSnapshot initial) {
        this.snapshot = new AtomicReference<>(initial);
        this.inFlight = new AtomicIntegerArray(initial.size());
    }

    public FleetSnapshot snapshot() {
        return snapshot.get();
    }

    @Override
    public int count(int slot) {
        return inFlight.get(slot);
    }

    public void acquire(int slot) {
        inFlight.incrementAndGet(slot);
    }

    public void release(int slot) {
        inFlight.decrementAndGet(slot);
    }

    /** Replaces one endpoint's load, retrying if another thread swapped the snapshot meanwhile. */
    public void updateLoad(int slot, UnaryOperator<EndpointLoad> update) {
        snapshot.updateAndGet(current -> current.withLoad(slot, update.apply(current.load(slot))));
    }

    /** A frozen copy of the in-flight counts, for explaining a pick after the fact. */
    public InFlight frozenInFlight() {
        int[] copy = new int[inFlight.length()];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = inFlight.get(i);
        }
        return slot -> copy[slot];
    }
}
