package io.infergate.gateway.fleet;

import io.infergate.core.fleet.CapacityEstimate;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.InFlight;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.health.StallRule;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * The gateway's live view of the fleet: the current immutable {@link FleetSnapshot}, swapped atomically
 * when a scrape or a health change arrives, and the gateway's own in-flight count per endpoint slot, with
 * the last time each endpoint showed progress (a response head, a body chunk, a response's end), which
 * tells a hung endpoint from a busy one ({@link StallRule}). Readers (the scheduler on every event loop)
 * never lock.
 *
 * <pre>{@code
 * FleetState state = new FleetState(FleetSnapshot.of(endpoints));
 * state.acquire(slot);            // a request was sent to the endpoint
 * state.release(slot);            // it finished, however it ended
 * state.progressed(slot, now);    // a head or a chunk came from it
 * state.updateLoad(slot, load -> scraped);
 * int added = state.add(endpoint);  // a node the autoscaler started joins in a new last slot
 * }</pre>
 */
public final class FleetState implements InFlight {

    private final AtomicReference<FleetSnapshot> snapshot;
    /** One counter per slot; growing the array keeps the counter objects, so no count is lost. */
    private volatile AtomicInteger[] inFlight;
    /** One last-progress time per slot, {@link StallRule#NO_PROGRESS} until the first; grown like {@link #inFlight}. */
    private volatile AtomicLong[] progress;

    public FleetState(FleetSnapshot initial) {
        this.snapshot = new AtomicReference<>(initial);
        this.inFlight = new AtomicInteger[initial.size()];
        Arrays.setAll(inFlight, slot -> new AtomicInteger());
        this.progress = new AtomicLong[initial.size()];
        Arrays.setAll(progress, slot -> new AtomicLong(StallRule.NO_PROGRESS));
    }

    /**
     * Adds an endpoint in a new last slot, ready and with no figures yet, and returns the slot.
     *
     * @throws IllegalArgumentException when an endpoint with the same id is already in the fleet
     */
    public synchronized int add(Endpoint endpoint) {
        AtomicInteger[] grown = Arrays.copyOf(inFlight, inFlight.length + 1);
        grown[grown.length - 1] = new AtomicInteger();
        AtomicLong[] grownProgress = Arrays.copyOf(progress, progress.length + 1);
        grownProgress[grownProgress.length - 1] = new AtomicLong(StallRule.NO_PROGRESS);
        progress = grownProgress;
        inFlight = grown;
        return snapshot.updateAndGet(current -> current.withEndpoint(endpoint, EndpointLoad.UNKNOWN)).size() - 1;
    }

    public FleetSnapshot snapshot() {
        return snapshot.get();
    }

    @Override
    public int count(int slot) {
        return inFlight[slot].get();
    }

    public void acquire(int slot) {
        inFlight[slot].incrementAndGet();
    }

    public void release(int slot) {
        inFlight[slot].decrementAndGet();
    }

    /** The endpoint in {@code slot} showed progress at {@code nowNanos}: a response head, a body chunk, a response's end. */
    public void progressed(int slot, long nowNanos) {
        // A release store (a plain store on x86): stall checks only need to see it soon, and it runs per chunk.
        progress[slot].setRelease(nowNanos);
    }

    /** When the endpoint in {@code slot} last showed progress, or {@link StallRule#NO_PROGRESS}. */
    public long lastProgress(int slot) {
        return progress[slot].getAcquire();
    }

    /** Replaces one endpoint's load, retrying if another thread swapped the snapshot meanwhile. */
    public void updateLoad(int slot, UnaryOperator<EndpointLoad> update) {
        snapshot.updateAndGet(current -> current.withLoad(slot, update.apply(current.load(slot))));
    }

    /**
     * Replaces one endpoint's capacity estimate, retrying if another thread swapped the snapshot meanwhile; keeps
     * the snapshot when the estimate stays the same, as it does on most scrapes.
     */
    public void updateCapacityEstimate(int slot, UnaryOperator<CapacityEstimate> update) {
        snapshot.updateAndGet(current -> {
            CapacityEstimate next = update.apply(current.capacityEstimate(slot));
            return next.equals(current.capacityEstimate(slot)) ? current : current.withCapacityEstimate(slot, next);
        });
    }

    /** A frozen copy of the in-flight counts, for explaining a pick after the fact. */
    public InFlight frozenInFlight() {
        AtomicInteger[] counters = inFlight;
        int[] copy = new int[counters.length];
        for (int i = 0; i < copy.length; i++) {
            copy[i] = counters[i].get();
        }
        return slot -> copy[slot];
    }
}
