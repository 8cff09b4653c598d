package io.infergate.gateway.observe;

import io.infergate.core.schedule.PickExplanation;
import io.infergate.core.schedule.Scheduler;
import io.infergate.gateway.event.EndpointPicked;
import io.infergate.gateway.event.ExchangeObserver;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The last picks, kept with everything they were decided on so that {@code /admin/picks} can explain
 * each one after the fact. A pick is a pure function of these inputs, so re-running the scheduler's
 * {@link Scheduler#explain} on them reproduces the scores exactly; nothing is computed on the request
 * path beyond storing references and a copy of the in-flight counts. It hears the picks as an
 * {@link ExchangeObserver}.
 *
 * <pre>{@code
 * PickLog log = new PickLog(256);
 * log.picked(new EndpointPicked(request, fleet, inFlightCopy, nowNanos, pickNanos, Set.of(), "eu-1", epochMillis));
 * List<PickLog.Explained> last = log.explainLast(10, scheduler);
 * }</pre>
 */
public final class PickLog implements ExchangeObserver {

    /** A recorded pick with its explanation. */
    public record Explained(long epochMillis, String chosenId, Set<String> excluded, PickExplanation explanation) {
    }

    private final AtomicReferenceArray<EndpointPicked> ring;
    private final AtomicLong next = new AtomicLong();

    public PickLog(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
        this.ring = new AtomicReferenceArray<>(capacity);
    }

    @Override
    public void picked(EndpointPicked pick) {
        ring.set((int) (next.getAndIncrement() % ring.length()), pick);
    }

    /** Up to {@code limit} most recent picks, newest first, each explained by {@code scheduler}. */
    public List<Explained> explainLast(int limit, Scheduler scheduler) {
        long newest = next.get() - 1;
        int count = (int) Math.min(Math.min(limit, ring.length()), newest + 1);
        List<Explained> out = new ArrayList<>(Math.max(count, 0));
        for (long i = newest; i > newest - count; i--) {
            EndpointPicked e = ring.get((int) (i % ring.length()));
            if (e == null) {
                continue;
            }
            PickExplanation explanation = scheduler.explain(e.request(), e.fleet(), e.inFlight(), e.nowNanos(),
                    e.excluded());
            out.add(new Explained(e.epochMillis(), e.chosenId(), e.excluded(), explanation));
        }
        return out;
    }
}
