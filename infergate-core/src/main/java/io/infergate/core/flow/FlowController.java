package io.infergate.core.flow;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Flow control for the requests of one model: lets a request through at once while its pool has
 * room for its class, and otherwise keeps it in its class's queue until capacity frees, its deadline
 * passes, or a bound pushes it out. Classes are served in strict priority, tenants inside a class by
 * weighted deficit round robin.
 *
 * <pre>{@code
 * FlowController<Call> flow = new FlowController<>(FlowPolicy.defaults());
 * Headroom room = policy.saturation().headroom(fleet, inFlight, slots, policy.reservedForCritical());
 * switch (flow.admit(FlowRequest.of(call, "critical", "fraud"), room, ticker.read())) {
 *     case Admission.Dispatch<Call> go -> { send(call); flow.settleGrant(); }
 *     case Admission.Queued<Call> wait -> park(wait.ticket());
 *     case Admission.Rejected<Call> no -> answer(no.rejection());
 * }
 * // when a request finishes or a scrape arrives:
 * for (Ticket<Call> ticket : flow.poll(measureHeadroom(), ticker.read())) { send(ticket.payload()); flow.settleGrant(); }
 * // now and then:
 * flow.expire(ticker.read()).forEach(removal -> answer(removal.ticket().payload(), removal.rejection()));
 * }</pre>
 *
 * <p><b>Grants.</b> A request let through ({@link Admission.Dispatch} or a ticket from {@link #poll})
 * takes room that the next {@link Headroom} measurement does not show until the host has sent it
 * and counted it in flight. Until the host calls {@link #settleGrant()} for it, the controller
 * subtracts it from the headroom it is given, so that several threads admitting at once do not
 * overfill the pool.
 *
 * <p><b>Bounds.</b> When a class's queue is full, a tenant holding at least its weighted share of it
 * ({@code queueLimit × weight / sum of the weights of the tenants queued}) is refused with 429, and a
 * tenant below its share pushes out the newest request of the tenant holding the most; a tenant alone
 * in a full queue gets 503. When all the model's queues together hold {@link FlowPolicy#maxQueued()},
 * a request sheds the newest request of the lowest sheddable class below its own, or is refused with
 * 503. {@code Retry-After} is the time the pool needs to drain what waits ahead, at the rate it
 * dispatched recently; the class's max wait before anything was dispatched.
 *
 * <p>Not thread-safe: the host serialises calls (the gateway holds one lock per model). Pure: no I/O,
 * no clock of its own; time comes in as {@code nowNanos}.
 *
 * @param <T> the host's request handle
 */
public final class FlowController<T> {

    /** The longest {@code Retry-After} given, in seconds. */
    static final int MAX_RETRY_AFTER_SECONDS = 600;

    private static final Comparator<Ticket<?>> BY_DEADLINE =
            Comparator.<Ticket<?>>comparingLong(Ticket::deadlineNanos).thenComparingLong(Ticket::sequence);

    private final FlowPolicy policy;
    private final List<ClassQueue<T>> queues;
    private final TreeSet<Ticket<T>> byDeadline = new TreeSet<>(BY_DEADLINE);
    private final DrainRate drainRate = new DrainRate();
    /** Recent arrivals of the highest class, when the reserve follows them; else null. */
    private final DrainRate criticalArrivals;
    private long sequence;
    private int queued;
    private int unsettledGrants;

    public FlowController(FlowPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
        List<ClassQueue<T>> classQueues = new ArrayList<>();
        for (PriorityClass priorityClass : policy.classes()) {
            classQueues.add(new ClassQueue<>(policy, priorityClass));
        }
        this.queues = List.copyOf(classQueues);
        this.criticalArrivals = policy.reserve() instanceof CriticalReserve.FollowsDemand demand
                ? new DrainRate(demand.window().toNanos()) : null;
    }

    public FlowPolicy policy() {
        return policy;
    }

    /**
     * Decides what happens to a new request.
     *
     * @param headroom the pool's room as measured now, before this request
     * @throws IllegalArgumentException if the request's class is not one of the policy's
     */
    public Admission<T> admit(FlowRequest<T> request, Headroom headroom, long nowNanos) {
        int rank = policy.rank(request.priorityClass());
        if (rank < 0) {
            throw new IllegalArgumentException("priorityClass: '" + request.priorityClass() + "' (expected one of: "
                    + String.join(", ", policy.classNames()) + ")");
        }
        if (rank == 0 && criticalArrivals != null) {
            criticalArrivals.record(nowNanos);
        }
        headroom = withReserve(headroom, nowNanos);
        if (queuedAtOrAbove(rank) == 0 && available(headroom, rank) > 0) {
            grant(nowNanos);
            return new Admission.Dispatch<>();
        }
        PriorityClass spec = policy.priorityClass(rank);
        long deadline = Math.min(saturatedAdd(nowNanos, spec.maxWait().toNanos()), request.deadlineNanos());
        if (deadline <= nowNanos) {
            return rejected(Rejection.Reason.DEADLINE, rank, retryAfter(rank, nowNanos),
                    "the pool serving this model is saturated and the request may not wait ("
                            + (request.deadlineNanos() <= nowNanos ? "its deadline has passed"
                            : "class '" + spec.name() + "' waits at most " + spec.maxWait().toMillis() + " ms") + ")");
        }
        ClassQueue<T> queue = queues.get(rank);
        String tenant = request.tenant();
        List<Removal<T>> displaced = List.of();
        if (queue.size() >= spec.queueLimit()) {
            int mine = queue.queuedBy(tenant);
            if (spec.queueLimit() == 0 || mine == queue.size()) {
                return rejected(Rejection.Reason.QUEUE_FULL, rank, retryAfter(rank, nowNanos),
                        "the pool serving this model is saturated and the queue of class '" + spec.name()
                                + "' is full (" + spec.queueLimit() + " requests)");
            }
            if (mine >= fairShare(queue, spec, tenant)) {
                return rejected(Rejection.Reason.TENANT_OVER_SHARE, rank, retryAfterForTenant(queue, rank, tenant, nowNanos),
                        overShareMessage(spec, tenant, mine));
            }
            Ticket<T> pushed = queue.newestOfHeaviest();
            displaced = List.of(new Removal<>(pushed, new Rejection(Rejection.Reason.TENANT_OVER_SHARE, spec.name(),
                    retryAfterForTenant(queue, rank, pushed.tenant(), nowNanos),
                    overShareMessage(spec, pushed.tenant(), queue.queuedBy(pushed.tenant())))));
            take(pushed);
        } else if (queued >= policy.maxQueued()) {
            Ticket<T> shed = newestSheddableBelow(rank);
            if (shed == null) {
                return rejected(Rejection.Reason.QUEUE_FULL, rank, retryAfter(rank, nowNanos),
                        "the pool serving this model is saturated and its queues are full ("
                                + policy.maxQueued() + " requests in all classes)");
            }
            displaced = List.of(new Removal<>(shed, new Rejection(Rejection.Reason.SHED, shed.priorityClass(),
                    retryAfter(shed.rank(), nowNanos), "shed to make room for a request of higher priority class '"
                    + spec.name() + "'; the pool serving this model is saturated")));
            take(shed);
        }
        Ticket<T> ticket = new Ticket<>(request.payload(), rank, spec.name(), tenant, nowNanos, deadline, sequence++);
        queue.add(ticket);
        byDeadline.add(ticket);
        queued++;
        return new Admission.Queued<>(ticket, displaced);
    }

    /**
     * The queued requests that may go now, in dispatch order: highest class first, tenants of a class
     * in weighted round robin, each tenant's oldest first unless its oldest has waited the class's
     * {@link PriorityClass#lifoAfter()} (then newest first), as many as {@code headroom} has room
     * for. A lower class gets nothing while a higher one still waits.
     */
    public List<Ticket<T>> poll(Headroom headroom, long nowNanos) {
        headroom = withReserve(headroom, nowNanos);
        List<Ticket<T>> granted = new ArrayList<>();
        for (int rank = 0; rank < queues.size(); rank++) {
            ClassQueue<T> queue = queues.get(rank);
            while (queue.size() > 0 && available(headroom, rank) > 0) {
                Ticket<T> ticket = queue.next(nowNanos);
                leave(ticket);
                grant(nowNanos);
                granted.add(ticket);
            }
            if (queue.size() > 0) {
                break;
            }
        }
        return granted;
    }

    /** Takes a queued request out, e.g. because its client went away; false if it no longer waits. */
    public boolean remove(Ticket<T> ticket) {
        if (!ticket.isQueued()) {
            return false;
        }
        take(ticket);
        return true;
    }

    /** Takes out every request whose deadline is at or before {@code nowNanos}, with a 503 to answer. */
    public List<Removal<T>> expire(long nowNanos) {
        List<Removal<T>> expired = new ArrayList<>(0);
        while (!byDeadline.isEmpty() && byDeadline.first().deadlineNanos() <= nowNanos) {
            Ticket<T> ticket = byDeadline.first();
            take(ticket);
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(nowNanos - ticket.enqueuedAtNanos());
            expired.add(new Removal<>(ticket, new Rejection(Rejection.Reason.DEADLINE, ticket.priorityClass(),
                    retryAfter(ticket.rank(), nowNanos), "waited " + waitedMillis + " ms for capacity, as long as "
                    + "its deadline allows; the pool serving this model is saturated")));
        }
        return expired;
    }

    /**
     * The host has counted a granted request in flight (or given it up): its room now shows in the
     * measured headroom. Call once per {@link Admission.Dispatch} and per ticket from {@link #poll}.
     */
    public void settleGrant() {
        if (unsettledGrants == 0) {
            throw new IllegalStateException("settleGrant: no grant to settle "
                    + "(expected: one call per Dispatch and per ticket from poll)");
        }
        unsettledGrants--;
    }

    /** Requests granted and not yet settled. */
    public int unsettledGrants() {
        return unsettledGrants;
    }

    /** Requests waiting in all classes. */
    public int queued() {
        return queued;
    }

    /** Requests waiting in class {@code priorityClass}; 0 for an unknown class. */
    public int queued(String priorityClass) {
        int rank = policy.rank(priorityClass);
        return rank < 0 ? 0 : queues.get(rank).size();
    }

    /** Dispatches per second over the last seconds, as {@code Retry-After} uses it. */
    public double drainRate(long nowNanos) {
        return drainRate.perSecond(nowNanos);
    }

    /**
     * Places kept free for the highest class now, pool-wide, when the reserve follows its demand
     * ({@link CriticalReserve.FollowsDemand}); 0 for a fixed reserve, which the measured headroom already holds.
     */
    public int reservedRequests(long nowNanos) {
        if (criticalArrivals == null) {
            return 0;
        }
        CriticalReserve.FollowsDemand demand = (CriticalReserve.FollowsDemand) policy.reserve();
        return demand.places(criticalArrivals.count(nowNanos), criticalArrivals.perSecond(nowNanos),
                drainRate.perSecond(nowNanos));
    }

    /** {@code headroom} with the lower classes' room cut so that the places reserved for the highest class stay free. */
    private Headroom withReserve(Headroom headroom, long nowNanos) {
        if (criticalArrivals == null || headroom.highest() == Integer.MAX_VALUE) {
            return headroom;
        }
        int lower = Math.min(headroom.lower(), Math.max(0, headroom.highest() - reservedRequests(nowNanos)));
        return new Headroom(headroom.highest(), lower);
    }

    private long available(Headroom headroom, int rank) {
        return (long) headroom.forRank(rank) - unsettledGrants;
    }

    private void grant(long nowNanos) {
        unsettledGrants++;
        drainRate.record(nowNanos);
    }

    private int queuedAtOrAbove(int rank) {
        int count = 0;
        for (int r = 0; r <= rank; r++) {
            count += queues.get(r).size();
        }
        return count;
    }

    private void take(Ticket<T> ticket) {
        queues.get(ticket.rank()).remove(ticket);
        leave(ticket);
    }

    private void leave(Ticket<T> ticket) {
        byDeadline.remove(ticket);
        ticket.leave();
        queued--;
    }

    private Ticket<T> newestSheddableBelow(int rank) {
        for (int r = queues.size() - 1; r > rank; r--) {
            if (policy.priorityClass(r).sheddable() && queues.get(r).size() > 0) {
                return queues.get(r).newestOfHeaviest();
            }
        }
        return null;
    }

    private double fairShare(ClassQueue<T> queue, PriorityClass spec, String tenant) {
        return spec.queueLimit() * policy.weight(tenant) / queue.totalWeightWith(tenant);
    }

    private static String overShareMessage(PriorityClass spec, String tenant, int held) {
        return "the queue of class '" + spec.name() + "' is full and tenant '" + tenant + "' holds " + held
                + " of its " + spec.queueLimit() + " places, at least its weighted share";
    }

    /** Seconds until the pool has dispatched everything waiting in classes at or above {@code rank}. */
    private int retryAfter(int rank, long nowNanos) {
        double rate = drainRate.perSecond(nowNanos);
        return rate > 0 ? seconds((queuedAtOrAbove(rank) + 1) / rate) : maxWaitSeconds(rank);
    }

    /** As {@link #retryAfter}, with the tenant's own requests drained at its weighted share of the rate. */
    private int retryAfterForTenant(ClassQueue<T> queue, int rank, String tenant, long nowNanos) {
        double rate = drainRate.perSecond(nowNanos);
        if (rate <= 0) {
            return maxWaitSeconds(rank);
        }
        double share = policy.weight(tenant) / queue.totalWeightWith(tenant);
        int above = rank == 0 ? 0 : queuedAtOrAbove(rank - 1);
        return seconds((above + (queue.queuedBy(tenant) + 1) / share) / rate);
    }

    private int maxWaitSeconds(int rank) {
        return seconds(policy.priorityClass(rank).maxWait().toMillis() / 1000.0);
    }

    private static int seconds(double seconds) {
        return (int) Math.max(1, Math.min(MAX_RETRY_AFTER_SECONDS, Math.ceil(seconds)));
    }

    private Admission<T> rejected(Rejection.Reason reason, int rank, int retryAfterSeconds, String message) {
        return new Admission.Rejected<>(new Rejection(reason, policy.priorityClass(rank).name(), retryAfterSeconds, message));
    }

    private static long saturatedAdd(long a, long b) {
        long sum = a + b;
        return ((a ^ sum) & (b ^ sum)) < 0 ? Long.MAX_VALUE : sum;
    }
}
