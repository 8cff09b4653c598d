package io.infergate.gateway.security;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Requests in flight per key and per tenant, in this process (a replica counts its own: a request
 * holds its slot on the replica serving it, and a replica that dies takes its counts with it).
 *
 * <pre>{@code
 * ConcurrencyLimits.Slot slot = new ConcurrencyLimits.Slot("key:k3x9", 10);
 * if (limits.tryAcquire(List.of(slot)) == null) { try { ... } finally { limits.release(List.of(slot)); } }
 * }</pre>
 */
public final class ConcurrencyLimits {

    /** One counter and its bound. */
    public record Slot(String name, int max) {
    }

    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();

    /** Takes a place in every slot and returns null, or takes none and returns the slot that is full. */
    public Slot tryAcquire(List<Slot> slots) {
        for (int i = 0; i < slots.size(); i++) {
            Slot slot = slots.get(i);
            AtomicInteger count = inFlight.computeIfAbsent(slot.name(), n -> new AtomicInteger());
            if (count.incrementAndGet() > slot.max()) {
                count.decrementAndGet();
                release(slots.subList(0, i));
                return slot;
            }
        }
        return null;
    }

    public void release(List<Slot> slots) {
        for (Slot slot : slots) {
            inFlight.get(slot.name()).decrementAndGet();
        }
    }

    /** Places held now, over every key and tenant: 0 when no limited request is in flight. */
    public int held() {
        int held = 0;
        for (AtomicInteger count : inFlight.values()) {
            held += count.get();
        }
        return held;
    }

    /** Requests holding {@code name} now. */
    public int inFlight(String name) {
        AtomicInteger count = inFlight.get(name);
        return count == null ? 0 : count.get();
    }
}
