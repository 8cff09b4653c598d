package io.infergate.core.flow;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The queue of one priority class: one queue per tenant, served by deficit round robin. Each tenant's
 * quantum is its weight divided by the smallest weight, so it is at least 1 and a turn always
 * serves someone; every request costs 1. A tenant whose queue empties leaves the round and forgets
 * its deficit, as in DRR. A tenant's queue is served oldest first until its oldest request has
 * waited the class's {@link PriorityClass#lifoAfter()}, then newest first.
 */
final class ClassQueue<T> {

    /** One tenant's waiting requests and its place in the round. */
    private static final class TenantQueue<T> {
        final String tenant;
        final double weight;
        final double quantum;
        final ArrayDeque<Ticket<T>> entries = new ArrayDeque<>();
        double deficit;
        boolean inTurn;

        TenantQueue(String tenant, double weight, double quantum) {
            this.tenant = tenant;
            this.weight = weight;
            this.quantum = quantum;
        }
    }

    private final FlowPolicy policy;
    private final long lifoAfterNanos;
    private final double minWeight;
    private final Map<String, TenantQueue<T>> tenants = new HashMap<>();
    /** Tenants with waiting requests, the one whose turn it is first. */
    private final ArrayDeque<TenantQueue<T>> round = new ArrayDeque<>();
    private int size;

    ClassQueue(FlowPolicy policy, PriorityClass priorityClass) {
        this.policy = policy;
        this.lifoAfterNanos = priorityClass.lifoAfter().toNanos();
        this.minWeight = policy.minWeight();
    }

    int size() {
        return size;
    }

    void add(Ticket<T> ticket) {
        TenantQueue<T> queue = tenants.get(ticket.tenant());
        if (queue == null) {
            double weight = policy.weight(ticket.tenant());
            queue = new TenantQueue<>(ticket.tenant(), weight, weight / minWeight);
            tenants.put(ticket.tenant(), queue);
            round.addLast(queue);
        }
        queue.entries.addLast(ticket);
        size++;
    }

    /** The next request at {@code nowNanos} by deficit round robin; the queue must not be empty. */
    Ticket<T> next(long nowNanos) {
        while (true) {
            TenantQueue<T> queue = round.peekFirst();
            if (!queue.inTurn) {
                queue.deficit += queue.quantum;
                queue.inTurn = true;
            }
            if (queue.deficit >= 1) {
                queue.deficit -= 1;
                boolean standing = nowNanos - queue.entries.peekFirst().enqueuedAtNanos() >= lifoAfterNanos;
                Ticket<T> ticket = standing ? queue.entries.pollLast() : queue.entries.pollFirst();
                size--;
                if (queue.entries.isEmpty()) {
                    drop(queue);
                }
                return ticket;
            }
            queue.inTurn = false;
            round.addLast(round.pollFirst());
        }
    }

    /** Takes {@code ticket} out; false if it is not in this queue. */
    boolean remove(Ticket<T> ticket) {
        TenantQueue<T> queue = tenants.get(ticket.tenant());
        if (queue == null || !queue.entries.remove(ticket)) {
            return false;
        }
        size--;
        if (queue.entries.isEmpty()) {
            drop(queue);
        }
        return true;
    }

    /** Requests of {@code tenant} waiting here. */
    int queuedBy(String tenant) {
        TenantQueue<T> queue = tenants.get(tenant);
        return queue == null ? 0 : queue.entries.size();
    }

    /** The weights of the tenants waiting here, plus {@code tenant}'s if it is not among them. */
    double totalWeightWith(String tenant) {
        double total = tenants.containsKey(tenant) ? 0 : policy.weight(tenant);
        for (TenantQueue<T> queue : tenants.values()) {
            total += queue.weight;
        }
        return total;
    }

    /**
     * The newest request of the tenant holding the most of this queue for its weight (ties: the one
     * holding more requests); null when empty. The request to push out when the queue is full.
     */
    Ticket<T> newestOfHeaviest() {
        TenantQueue<T> heaviest = null;
        for (TenantQueue<T> queue : tenants.values()) {
            if (heaviest == null || heavier(queue, heaviest)) {
                heaviest = queue;
            }
        }
        return heaviest == null ? null : heaviest.entries.peekLast();
    }

    private static boolean heavier(TenantQueue<?> a, TenantQueue<?> b) {
        double perWeightA = a.entries.size() / a.weight;
        double perWeightB = b.entries.size() / b.weight;
        return perWeightA > perWeightB || perWeightA == perWeightB && a.entries.size() > b.entries.size();
    }

    private void drop(TenantQueue<T> queue) {
        round.remove(queue);
        tenants.remove(queue.tenant);
    }
}
