package io.infergate.core.scale;

import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.time.Ticker;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToDoubleFunction;

/**
 * One pool's autoscaling, whatever runs it: turns each {@link PoolReading} into a {@link ScalingRound},
 * the {@link Autoscaler}'s decision and what the host must do to carry it out. It keeps the books the
 * decisions rest on: when each node started, which nodes were asked of the provider and do not serve yet
 * (they count as starting, so an add is not repeated), which were released and drain, and which were
 * stopped. It reads each node's utilisation ({@link UtilisationRule}, smoothed by
 * {@link UtilisationSmoother}) and the pool's queue from the reading, meters the pool's cost, and keeps
 * the recent decisions. The host (the gateway's {@code PoolAutoscaler}) does the I/O: it
 * reads the pool, starts, drains and stops nodes, and says how each start ended.
 *
 * <pre>{@code
 * PoolScaler scaler = PoolScaler.builder("chat", Set.of("llama-3.1-8b-instruct"))
 *         .policy(config).homeRegion("eu-west").maxNumSeqs(256).utilisationWindow(Duration.ofSeconds(10))
 *         .clocks(ticker, wallClock).build();
 * ScalingRound round = scaler.evaluate(reading, provider.room("eu-west"));   // every second
 * round.stop().forEach(provider::stop);
 * round.start().forEach(spec -> provider.start(spec).whenComplete((endpoint, failure) -> {
 *     if (failure != null) {
 *         scaler.startFailed(spec.id());
 *     } else {
 *         fleet.add(endpoint);            // with the next line, one step as the readings see it
 *         scaler.started(spec.id());
 *     }
 * }));
 * round.drain().forEach(fleet::drain);
 * }</pre>
 *
 * <p>Pure: no I/O, time from the injected clocks. Thread-safe. A node that starts must join the fleet
 * and be reported {@link #started} in one step with respect to the host's readings, so that a reading
 * sees it either starting or in the fleet, never neither (the pool would look a node short) nor both.
 */
public final class PoolScaler {

    private final String pool;
    private final Set<String> models;
    private final String homeRegion;
    private final ToDoubleFunction<CapacityKind> pricePerHour;
    private final UtilisationRule utilisation;
    private final UtilisationSmoother smoother;
    private final Ticker ticker;
    private final Autoscaler autoscaler;
    private final NodeLedger ledger;
    private final CostMeter cost = new CostMeter();
    private final DecisionLog decisions = new DecisionLog();
    private PoolState lastState;

    private PoolScaler(Builder b) {
        this.pool = b.pool;
        this.models = b.models;
        this.homeRegion = b.homeRegion;
        this.pricePerHour = b.pricePerHour;
        this.utilisation = new UtilisationRule(b.maxNumSeqs);
        this.smoother = new UtilisationSmoother(b.utilisationWindow);
        this.ticker = b.ticker;
        this.autoscaler = new Autoscaler(b.policy, b.ticker, b.wallClock);
        this.ledger = new NodeLedger(b.nodeIdPrefix == null ? b.pool + "-" : b.nodeIdPrefix);
        this.lastState = PoolState.of(List.of(), homeRegion, 0);
    }

    /**
     * @param pool   the pool scaled: the nodes of the fleet in it are its nodes, and new ones join it
     * @param models the models new nodes must serve
     */
    public static Builder builder(String pool, Set<String> models) {
        return new Builder(pool, models);
    }

    /** The pool scaled. */
    public String pool() {
        return pool;
    }

    /**
     * One evaluation: finds the released nodes that drained (only when every gateway answered: a silent
     * one may still be serving a request on one), reads the pool's state, meters its cost, decides, and
     * books the nodes the decision adds as starting and those it releases as draining.
     *
     * @param room where the provider can start nodes now, the home region first
     */
    public synchronized ScalingRound evaluate(PoolReading reading, List<RegionRoom> room) {
        long now = ticker.read();
        FleetSnapshot fleet = reading.fleet();
        List<Endpoint> stop = reading.unanswered().isEmpty() ? ledger.drained(fleet, reading.inFlight()) : List.of();
        PoolState state = state(reading, room, now);
        cost.record(lastState.costPerHour(), reading.completedRequests(), now);
        Decision decision = withUnanswered(autoscaler.decide(state), reading.unanswered());
        boolean noteworthy = decisions.record(decision, now);
        List<NodeSpec> start = new ArrayList<>();
        List<String> drain = new ArrayList<>();
        switch (decision.action()) {
            case ADD -> decision.nodes().forEach(choice -> start.add(book(choice, fleet, now)));
            case RELEASE -> decision.nodes().stream().map(NodeChoice::nodeId)
                    .filter(id -> ledger.release(id, fleet)).forEach(drain::add);
            case HOLD -> { }
        }
        lastState = state;
        return new ScalingRound(decision, noteworthy, stop, start, drain);
    }

    /**
     * The evaluation when the pool could not be read at all: a hold ({@link ScaleReason#NO_DATA}) that
     * starts, releases and stops nothing.
     *
     * @param why what went wrong, e.g. which gateways did not answer
     */
    public synchronized ScalingRound unreadable(String why) {
        Decision hold = Decision.hold(ScaleReason.NO_DATA, why);
        return new ScalingRound(hold, decisions.record(hold, ticker.read()), List.of(), List.of(), List.of());
    }

    /** The node asked for in a round's {@link ScalingRound#start} serves: it is in the fleet from now on. */
    public synchronized void started(String nodeId) {
        ledger.started(nodeId);
    }

    /** The node asked for in a round's {@link ScalingRound#start} did not start (or was refused): it is forgotten. */
    public synchronized void startFailed(String nodeId) {
        ledger.startFailed(nodeId);
    }

    /**
     * Releases a node outside an evaluation, e.g. on a preemption notice: true when the host should drain
     * it (it is in {@code fleet} and was not stopped already); a later round stops it once idle.
     */
    public synchronized boolean release(String nodeId, FleetSnapshot fleet) {
        return ledger.release(nodeId, fleet);
    }

    /**
     * The pool as the last evaluation read it, before its decision: nodes (those starting included),
     * queue, utilisation, cost; empty before the first.
     */
    public synchronized PoolState state() {
        return lastState;
    }

    /** The bounds in force now. */
    public Autoscaler.Bounds bounds() {
        return autoscaler.bounds();
    }

    /** Dollars per request finished over the last minute; NaN when none finished. */
    public synchronized double costPerRequest() {
        return cost.perRequest();
    }

    /** The last decision, holds included. */
    public synchronized Optional<Decision> lastDecision() {
        return decisions.last();
    }

    /** The last 50 adds and releases, newest first. */
    public synchronized List<LoggedDecision> recentDecisions() {
        return decisions.recent();
    }

    private PoolState state(PoolReading reading, List<RegionRoom> room, long now) {
        FleetSnapshot fleet = reading.fleet();
        List<Node> nodes = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int queue = reading.queued();
        int inService = 0;
        for (int slot = 0; slot < fleet.size(); slot++) {
            Endpoint endpoint = fleet.endpoint(slot);
            EndpointLoad load = fleet.load(slot);
            if (!endpoint.pool().equals(pool) || ledger.released(endpoint.id()) || load.lifecycle() == Lifecycle.REMOVED) {
                continue;
            }
            int serving = UtilisationRule.inService(load, reading.inFlight().count(slot));
            double busy = smoother.smooth(endpoint.id(), utilisation.utilisation(load, serving), now);
            nodes.add(new Node(endpoint.id(), endpoint.region(), endpoint.capacity(), endpoint.pricePerHour(),
                    ledger.startedAt(endpoint.id(), now), load.lifecycle(), busy));
            seen.add(endpoint.id());
            if (load.lifecycle() != Lifecycle.DRAINING) {
                queue += Math.max(0, load.waiting());
                inService += serving;
            }
        }
        smoother.retainOnly(seen);
        for (NodeLedger.Starting node : ledger.starting()) {
            NodeSpec spec = node.spec();
            nodes.add(new Node(spec.id(), spec.region(), spec.capacity(), spec.pricePerHour(), node.requestedAtNanos(),
                    Lifecycle.STARTING, Double.NaN));
        }
        return new PoolState(nodes, List.of(), homeRegion, room, queue, inService);
    }

    /** Books a node the decision adds as starting, under a new id. */
    private NodeSpec book(NodeChoice choice, FleetSnapshot fleet, long now) {
        NodeSpec spec = new NodeSpec(ledger.nextId(fleet), pool, models, choice.region(), choice.capacity(),
                pricePerHour.applyAsDouble(choice.capacity()));
        ledger.starting(spec, now);
        return spec;
    }

    /** The decision, its detail naming the gateways left out of the reading it was made on, if any. */
    private static Decision withUnanswered(Decision decision, List<String> unanswered) {
        return unanswered.isEmpty() ? decision : new Decision(decision.action(), decision.count(), decision.nodes(),
                decision.reason(), decision.detail() + "; read without " + String.join(", ", unanswered));
    }

    /**
     * Builds a {@link PoolScaler}; only the clocks are required.
     *
     * <pre>{@code
     * PoolScaler scaler = PoolScaler.builder("chat", Set.of("llama-3.1-8b-instruct"))
     *         .policy(AutoscalerConfig.builder().minNodes(2).maxNodes(16).build())
     *         .homeRegion("eu-west").prices(kind -> kind == CapacityKind.PREEMPTIBLE ? 0.80 : 2.10)
     *         .nodeIdPrefix("chat-auto-").clocks(Ticker.system(), InstantSource.system()).build();
     * }</pre>
     */
    public static final class Builder {

        private final String pool;
        private final Set<String> models;
        private AutoscalerConfig policy = AutoscalerConfig.builder().build();
        private String homeRegion = "";
        private ToDoubleFunction<CapacityKind> pricePerHour = kind -> 0;
        private int maxNumSeqs;
        private Duration utilisationWindow = Duration.ZERO;
        private String nodeIdPrefix;
        private Ticker ticker;
        private InstantSource wallClock;

        private Builder(String pool, Set<String> models) {
            this.pool = Objects.requireNonNull(pool, "pool");
            this.models = Set.copyOf(models);
        }

        /** The decision rules; default {@code AutoscalerConfig.builder().build()}. */
        public Builder policy(AutoscalerConfig policy) {
            this.policy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** The region new nodes go to first; default empty. */
        public Builder homeRegion(String homeRegion) {
            this.homeRegion = Objects.requireNonNull(homeRegion, "homeRegion");
            return this;
        }

        /** What a new node of each capacity kind costs per hour, in dollars; default 0. */
        public Builder prices(ToDoubleFunction<CapacityKind> pricePerHour) {
            this.pricePerHour = Objects.requireNonNull(pricePerHour, "pricePerHour");
            return this;
        }

        /** The nodes' running-batch bound, see {@link UtilisationRule}; default 0, unknown. */
        public Builder maxNumSeqs(int maxNumSeqs) {
            this.maxNumSeqs = maxNumSeqs;
            return this;
        }

        /** The time constant each node's utilisation is smoothed over; default zero, no smoothing. */
        public Builder utilisationWindow(Duration utilisationWindow) {
            this.utilisationWindow = Objects.requireNonNull(utilisationWindow, "utilisationWindow");
            return this;
        }

        /** How new nodes' ids begin (a number follows); default the pool's name and a dash. */
        public Builder nodeIdPrefix(String nodeIdPrefix) {
            this.nodeIdPrefix = Objects.requireNonNull(nodeIdPrefix, "nodeIdPrefix");
            return this;
        }

        /** The monotonic clock (cool-downs, ages, smoothing, cost) and the wall clock (schedule windows). */
        public Builder clocks(Ticker ticker, InstantSource wallClock) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
            return this;
        }

        public PoolScaler build() {
            if (ticker == null) {
                throw new IllegalStateException("clocks: not set (expected: a Ticker and an InstantSource)");
            }
            return new PoolScaler(this);
        }
    }
}
