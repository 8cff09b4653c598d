package io.infergate.gateway.flow;

import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.flow.Admission;
import io.infergate.core.flow.FlowController;
import io.infergate.core.flow.FlowPolicy;
import io.infergate.core.flow.FlowRequest;
import io.infergate.core.flow.Headroom;
import io.infergate.core.flow.Rejection;
import io.infergate.core.flow.Removal;
import io.infergate.core.flow.Ticket;
import io.infergate.core.time.Ticker;
import io.infergate.gateway.config.FlowControlConfig;
import io.infergate.gateway.config.TenantConfig;
import io.infergate.gateway.event.ExchangeObserver;
import io.infergate.gateway.event.SentAttempt;
import io.infergate.gateway.fleet.FleetState;
import io.infergate.gateway.observe.GatewayMetrics;
import io.vertx.core.Vertx;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The gateway's flow control: one core {@link FlowController} per model, shared by every event loop,
 * each behind its own lock. A request {@link #admit}s and holds a {@link FlowLease} until it is over; a
 * queued one is told through its {@link Waiter} when it may go or why it may not. Capacity is re-measured
 * whenever an attempt ends ({@link #attemptEnded}, heard as an {@link ExchangeObserver}) and every
 * {@link #TICK} (which also picks up fresh scrapes and expires overdue requests). Every outcome is counted
 * in {@link GatewayMetrics}.
 *
 * <pre>{@code
 * FlowGate gate = new FlowGate(config.flowControl(), config.tenants(), fleetState, metrics, Ticker.system());
 * gate.start(vertx);
 * FlowLease lease = gate.admit(model, "critical", "fraud", FlowRequest.NO_DEADLINE, waiter);
 * switch (lease.state()) {
 *     case GRANTED -> { send(); lease.settle(); }
 *     case QUEUED -> { }                                  // the waiter hears later
 *     default -> answer(lease.rejection());
 * }
 * lease.close("client_gone");                            // once the request is over
 * }</pre>
 *
 * <p>With flow control disabled every request is dispatched at once and nothing is counted; so is a
 * request for a model no endpoint serves (the scheduler answers it 404).
 */
public final class FlowGate implements ExchangeObserver {

    /** How often queues are re-checked against fresh scrapes and deadlines. */
    public static final Duration TICK = Duration.ofMillis(5);

    /** A queued request, told when its turn comes. Called on any thread, once, outside every lock. */
    public interface Waiter {
        /** The request may go now; once sent (or given up), call {@link FlowLease#settle}. */
        void dispatch();

        /** The request leaves the queue unserved: answer {@code rejection}. */
        void reject(Rejection rejection);
    }

    /** The queue of one model and the lock that serialises its controller. */
    private static final class ModelGate {
        final String model;
        final FlowController<FlowLease> controller;
        final ReentrantLock lock = new ReentrantLock();

        ModelGate(String model, FlowPolicy policy) {
            this.model = model;
            this.controller = new FlowController<>(policy);
        }
    }

    private final boolean enabled;
    private final FlowPolicy policy;
    private final FleetState fleet;
    private final GatewayMetrics metrics;
    private final Ticker ticker;
    private final Map<String, ModelGate> gates;
    private final RequestClassifier classifier;

    /** @param tenants the configured tenants, whose default classes the classifier applies */
    public FlowGate(FlowControlConfig config, List<TenantConfig> tenants, FleetState fleet, GatewayMetrics metrics,
                    Ticker ticker) {
        this.enabled = config.enabled();
        this.policy = config.policy();
        this.classifier = new RequestClassifier(config, tenants);
        this.fleet = fleet;
        this.metrics = metrics;
        this.ticker = ticker;
        Map<String, ModelGate> byModel = new HashMap<>();
        if (enabled) {
            fleet.snapshot().models().forEach(model -> byModel.put(model, new ModelGate(model, policy)));
            for (String priorityClass : policy.classNames()) {
                metrics.queueDepthGauge(priorityClass, () -> queued(priorityClass));
            }
        }
        this.gates = Map.copyOf(byModel);
    }

    /** Re-checks the queues every {@link #TICK} until {@code vertx} closes; does nothing when flow control is off. */
    public void start(Vertx vertx) {
        if (enabled) {
            vertx.setPeriodic(TICK.toMillis(), id -> tick());
        }
    }

    public RequestClassifier classifier() {
        return classifier;
    }

    /**
     * Decides what happens to a new request: the lease returned is {@link FlowLease.State#GRANTED granted},
     * {@link FlowLease.State#QUEUED queued} (and {@code waiter} hears later) or
     * {@link FlowLease.State#REJECTED rejected}.
     */
    public FlowLease admit(String model, String priorityClass, String tenant, long deadlineNanos, Waiter waiter) {
        ModelGate gate = gates.get(model);
        if (gate == null) {
            return new FlowLease(this, model, waiter, FlowLease.State.GRANTED);
        }
        long now = ticker.read();
        FlowLease lease = new FlowLease(this, model, waiter, FlowLease.State.QUEUED);
        Admission<FlowLease> admission;
        gate.lock.lock();
        try {
            admission = gate.controller.admit(new FlowRequest<>(lease, priorityClass, tenant, deadlineNanos),
                    headroom(model), now);
            // Under the lock, before the queue can hand the lease out or the request close it.
            switch (admission) {
                case Admission.Dispatch<FlowLease> go -> lease.grantedAtOnce();
                case Admission.Queued<FlowLease> queued -> lease.queued(queued.ticket());
                case Admission.Rejected<FlowLease> rejected -> lease.rejected(rejected.rejection());
            }
        } finally {
            gate.lock.unlock();
        }
        switch (admission) {
            case Admission.Dispatch<FlowLease> go -> dispatched(priorityClass, tenant, 0);
            case Admission.Queued<FlowLease> queued -> queued.displaced().forEach(this::removed);
            case Admission.Rejected<FlowLease> rejected ->
                    metrics.flowRejected(priorityClass, rejected.rejection().reason().label());
        }
        return lease;
    }

    /** A request let through for {@code model} has been sent (or given up): its room now shows in flight. */
    void settleGrant(String model) {
        ModelGate gate = gates.get(model);
        if (gate != null) {
            gate.lock.lock();
            try {
                gate.controller.settleGrant();
            } finally {
                gate.lock.unlock();
            }
        }
    }

    /**
     * The endpoints serving {@code model} in {@code snapshot}, other than {@code excludedEndpointIds}, that have
     * no room left for a request of {@code priorityClass}: the scheduler avoids them besides the excluded
     * ones, so that a request let through on the share reserved for its class lands where that share is.
     * Empty when flow control is off or none of the endpoints the request may still use has room, so that
     * a retry whose last candidates are full still goes to one of them.
     */
    public Set<String> fullEndpoints(FleetSnapshot snapshot, String model, String priorityClass,
                                     Set<String> excludedEndpointIds) {
        if (!gates.containsKey(model)) {
            return Set.of();
        }
        return policy.saturation().full(snapshot, fleet, snapshot.slotsServing(model), excludedEndpointIds,
                policy.reservedForCritical(), policy.rank(priorityClass) == 0);
    }

    /**
     * Whether {@code model}'s endpoints have room for one more request of {@code priorityClass} now, by the
     * saturation thresholds; always true when flow control is off. Model fallbacks ask this.
     */
    public boolean hasRoom(String model, String priorityClass) {
        if (!gates.containsKey(model)) {
            return true;
        }
        Headroom headroom = headroom(model);
        return (policy.rank(priorityClass) == 0 ? headroom.highest() : headroom.lower()) > 0;
    }

    /** A request of {@code priorityClass} was sent to its first endpoint {@code sinceArrivalNanos} after it arrived. */
    public void sent(String priorityClass, long sinceArrivalNanos) {
        if (enabled) {
            metrics.dispatchLatency(priorityClass).record(sinceArrivalNanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Takes a queued request out, counting it as rejected for {@code reason} (e.g. {@code client_gone} when its
     * client went away); nothing when the queue let it go or expired it meanwhile.
     */
    void leaveQueue(Ticket<FlowLease> ticket, String reason) {
        ModelGate gate = gates.get(ticket.payload().model());
        boolean removed;
        gate.lock.lock();
        try {
            removed = gate.controller.remove(ticket);
        } finally {
            gate.lock.unlock();
        }
        if (removed) {
            metrics.flowRejected(ticket.priorityClass(), reason);
        }
    }

    /** An attempt ended and gave its endpoint's room back: the room goes to the next queued request, if any. */
    @Override
    public void attemptEnded(SentAttempt attempt, long nowNanos) {
        capacityFreed(attempt.request().model());
    }

    /** A request for {@code model} finished: hands its room to the next queued request, if any. */
    void capacityFreed(String model) {
        ModelGate gate = gates.get(model);
        if (gate != null) {
            check(gate, false);
        }
    }

    /** Requests waiting in class {@code priorityClass}, all models together. */
    public int queued(String priorityClass) {
        int total = 0;
        for (ModelGate gate : gates.values()) {
            gate.lock.lock();
            try {
                total += gate.controller.queued(priorityClass);
            } finally {
                gate.lock.unlock();
            }
        }
        return total;
    }

    /** Requests for {@code model} waiting, all classes together; what the autoscaler adds to the servers' queues. */
    public int queuedFor(String model) {
        ModelGate gate = gates.get(model);
        if (gate == null) {
            return 0;
        }
        gate.lock.lock();
        try {
            return gate.controller.queued();
        } finally {
            gate.lock.unlock();
        }
    }

    /** Expires overdue requests and dispatches what the pools have room for; every {@link #TICK}. */
    void tick() {
        for (ModelGate gate : gates.values()) {
            check(gate, true);
        }
    }

    /** Expires overdue requests (when {@code expire}) and dispatches what the pool has room for. */
    private void check(ModelGate gate, boolean expire) {
        long now = ticker.read();
        List<Removal<FlowLease>> expired = List.of();
        List<Ticket<FlowLease>> granted = List.of();
        gate.lock.lock();
        try {
            if (expire) {
                expired = gate.controller.expire(now);
            }
            if (gate.controller.queued() > 0) {
                granted = gate.controller.poll(headroom(gate.model), now);
            }
        } finally {
            gate.lock.unlock();
        }
        expired.forEach(this::removed);
        for (Ticket<FlowLease> ticket : granted) {
            dispatched(ticket.priorityClass(), ticket.tenant(), now - ticket.enqueuedAtNanos());
            ticket.payload().granted();
        }
    }

    private Headroom headroom(String model) {
        FleetSnapshot snapshot = fleet.snapshot();
        return policy.saturation().headroom(snapshot, fleet, snapshot.slotsServing(model), policy.reservedForCritical());
    }

    private void dispatched(String priorityClass, String tenant, long waitedNanos) {
        metrics.queueWait(priorityClass).record(waitedNanos, TimeUnit.NANOSECONDS);
        metrics.flowDispatched(priorityClass, tenantLabel(tenant));
    }

    private void removed(Removal<FlowLease> removal) {
        metrics.flowRejected(removal.rejection().priorityClass(), removal.rejection().reason().label());
        removal.ticket().payload().removed(removal.rejection());
    }

    /** Configured tenants by name, none as {@code ""}, any other (a header not yet checked against keys) as {@code other}. */
    private String tenantLabel(String tenant) {
        return tenant.isEmpty() || policy.tenantWeights().containsKey(tenant) ? tenant : "other";
    }
}
