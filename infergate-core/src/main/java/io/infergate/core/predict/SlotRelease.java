package io.infergate.core.predict;

import java.util.PriorityQueue;

/**
 * When a full batch frees a slot for one more request: the server runs the first {@code limit}
 * requests ahead and admits the others first come, first served, each into the slot that frees
 * first. Knowing how much each running request has left, and how long each waiting one will hold
 * its slot, tells the wait far better than a mean: four long answers near their start hold a batch
 * for seconds, four near their end free it within a few steps.
 *
 * <pre>{@code
 * SlotRelease release = new SlotRelease(4);
 * release.add(remainingNanosOfEachRequestAhead...);   // in the order the server admits them
 * long wait = release.waitNanos();                    // 0 while fewer than 4 are ahead
 * }</pre>
 *
 * Not thread-safe: one per prediction.
 */
final class SlotRelease {

    private final int limit;
    private final PriorityQueue<Double> freeAt = new PriorityQueue<>();

    /** @param limit sequences the endpoint runs at once, {@code >= 1} */
    SlotRelease(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit: " + limit + " (expected: >= 1)");
        }
        this.limit = limit;
    }

    /**
     * The next request ahead, in admission order, holds its slot for {@code holdNanos} from the moment
     * it gets one: for a running request, what it has left; for a waiting one, its whole service.
     */
    void add(double holdNanos) {
        if (freeAt.size() < limit) {
            freeAt.add(holdNanos);
        } else {
            freeAt.add(freeAt.poll() + holdNanos);
        }
    }

    /** How long a request added now would wait for a slot. */
    long waitNanos() {
        return freeAt.size() < limit ? 0 : Math.round(freeAt.peek());
    }
}
