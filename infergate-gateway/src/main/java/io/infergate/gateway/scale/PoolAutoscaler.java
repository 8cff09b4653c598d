package io.infergate.gateway.scale;

import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.scale.Autoscaler;
import io.infergate.core.scale.Decision;
import io.infergate.core.scale.Node;
import io.infergate.core.scale.NodeChoice;
import io.infergate.core.scale.NodeProvider;
import io.infergate.core.scale.NodeSpec;
import io.infergate.core.scale.PoolState;
import io.infergate.core.scale.ScaleAction;
import io.infergate.core.scale.ScaleReason;
import io.infergate.core.scale.UtilisationSmoother;
import io.infergate.core.time.Ticker;
import io.infergate.gateway.config.AutoscalerSettings;
import io.infergate.gateway.config.PoolConfig;
import io.infergate.gateway.security.EndpointAddressPolicy;
import io.infergate.gateway.security.HostResolver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the core {@link Autoscaler} for one pool against the live fleet: every interval it reads the
 * pool's nodes, queue and utilisation from the {@link ScalingTarget} (the gateway it runs in, or the
 * admin APIs of remote gateways), decides, and carries the decision out through the {@link NodeProvider}.
 * When the pool cannot be read it holds ({@code no_data}): it acts on no data, and stops no node. An added node joins the fleet once the provider reports it
 * serving, unless its address is one the pool's rules refuse ({@link EndpointAddressPolicy}): then it is
 * stopped and counted as a start failure. A released node is drained first and stopped once its last request finished. A preemption
 * notice from the provider drains the node at once, so its work moves elsewhere before it vanishes.
 * Every decision is counted ({@code infergate_autoscaler_decisions_total{pool,action,reason}}); adds
 * and releases, and each change of the reason for holding, are logged; {@link #view} is what
 * {@code GET /admin/autoscaler} shows.
 *
 * <pre>{@code
 * try (PoolAutoscaler scaler = new PoolAutoscaler(settings, pool, provider, gateway, registry,
 *         Ticker.system(), InstantSource.system())) {
 *     scaler.start();
 *     ...
 * }
 * }</pre>
 */
public final class PoolAutoscaler implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(PoolAutoscaler.class.getName());
    private static final int DECISION_LOG_SIZE = 50;
    private static final long COST_WINDOW_NANOS = Duration.ofSeconds(60).toNanos();
    private static final double NANOS_PER_HOUR = 3600e9;

    /** One decision with when it was made, for the admin API. */
    public record LoggedDecision(long atNanos, Decision decision) {
    }

    private record CostSample(long atNanos, double dollars, long requests) {
    }

    private record PendingNode(NodeSpec spec, long requestedAtNanos) {
    }

    private final AutoscalerSettings settings;
    private final List<String> models;
    private final EndpointAddressPolicy addresses;
    private final NodeProvider provider;
    private final ScalingTarget target;
    private final MeterRegistry registry;
    private final Ticker ticker;
    private final Autoscaler autoscaler;
    private final UtilisationSmoother smoother;
    private final ScheduledExecutorService loop;

    private final Map<String, Long> startedAt = new ConcurrentHashMap<>();
    private final Map<String, PendingNode> pending = new ConcurrentHashMap<>();
    private final Map<String, Endpoint> releasing = new ConcurrentHashMap<>();
    private final Set<String> released = ConcurrentHashMap.newKeySet();
    private final Map<String, Counter> decisionCounters = new ConcurrentHashMap<>();
    private final Deque<LoggedDecision> decisions = new ArrayDeque<>();
    private final Deque<CostSample> costSamples = new ArrayDeque<>();
    private final Counter preemptions;
    private final Counter startFailures;
    private int nextNodeNumber = 1;
    private double dollarsSpent;
    private volatile PoolState lastState = PoolState.of(List.of(), "", 0);
    private volatile Decision lastDecision;
    private volatile double costPerRequest = Double.NaN;

    /** @param scaledPool the pool: its nodes serve its models, and must have addresses its rules allow */
    public PoolAutoscaler(AutoscalerSettings settings, PoolConfig scaledPool, NodeProvider provider, ScalingTarget target,
                          MeterRegistry registry, Ticker ticker, InstantSource wallClock) {
        this.settings = settings;
        this.models = scaledPool.models();
        this.addresses = new EndpointAddressPolicy(scaledPool.allowedEndpoints(), HostResolver.system());
        this.provider = provider;
        this.target = target;
        this.registry = registry;
        this.ticker = ticker;
        this.autoscaler = new Autoscaler(settings.policy(), ticker, wallClock);
        this.smoother = new UtilisationSmoother(settings.utilisationWindow());
        this.loop = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("autoscaler-" + settings.pool()).factory());
        String pool = settings.pool();
        this.preemptions = Counter.builder("infergate.autoscaler.preemptions").tag("pool", pool)
                .description("Preemption notices received for the pool's nodes").register(registry);
        this.startFailures = Counter.builder("infergate.autoscaler.start.failures").tag("pool", pool)
                .description("Nodes the provider failed to start").register(registry);
        for (CapacityKind capacity : CapacityKind.values()) {
            for (Lifecycle lifecycle : Lifecycle.values()) {
                Gauge.builder("infergate.autoscaler.nodes", this, s -> s.count(capacity, lifecycle))
                        .description("Nodes of the pool by capacity kind and state")
                        .tags("pool", pool, "capacity", label(capacity), "state", label(lifecycle))
                        .register(registry);
            }
        }
        Gauge.builder("infergate.pool.cost.per.hour.dollars", this, s -> s.lastState.costPerHour())
                .description("What the pool's nodes cost per hour").tag("pool", pool).register(registry);
        Gauge.builder("infergate.pool.cost.per.request.dollars", this, s -> s.costPerRequest)
                .description("The pool's cost over the last minute divided by the requests it finished")
                .tag("pool", pool).register(registry);
        // off the provider's thread (an informer, say): the drain reads the gateways, one evaluation at a time
        provider.onPreemption(nodeId -> {
            try {
                loop.execute(() -> preempted(nodeId));
            } catch (RejectedExecutionException closing) {
                LOG.fine(() -> "preemption notice for " + nodeId + " after the autoscaler closed");
            }
        });
    }

    /** The provider that starts and stops the pool's nodes. */
    public NodeProvider provider() {
        return provider;
    }

    /** Evaluates every {@code interval} from now on, on the autoscaler's own thread. */
    public void start() {
        long every = settings.interval().toNanos();
        loop.scheduleAtFixedRate(() -> {
            try {
                evaluate();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "autoscaler of pool '" + settings.pool() + "' failed an evaluation", e);
            }
        }, every, every, TimeUnit.NANOSECONDS);
    }

    /** One round: read the pool, finish drains, decide, act. Returns the decision. */
    public synchronized Decision evaluate() {
        long now = ticker.read();
        PoolReading reading;
        try {
            reading = target.read(settings.pool());
        } catch (UnreadablePoolException e) {
            Decision hold = new Decision(ScaleAction.HOLD, 0, List.of(), ScaleReason.NO_DATA, e.getMessage());
            record(hold, now);
            return hold;
        }
        FleetSnapshot fleet = reading.fleet();
        if (reading.unanswered().isEmpty()) { // a silent gateway may still be serving a released node
            stopDrainedNodes(reading);
        }
        PoolState state = poolState(reading, now);
        meterCost(state, reading.completedRequests(), now);
        Decision decision = withUnanswered(autoscaler.decide(state), reading.unanswered());
        record(decision, now);
        switch (decision.action()) {
            case ADD -> decision.nodes().forEach(choice -> startNode(choice, fleet, now));
            case RELEASE -> decision.nodes().forEach(choice -> drainNode(choice.nodeId(), fleet));
            case HOLD -> { }
        }
        lastState = state;
        return decision;
    }

    /** The decision, its detail naming the gateways left out of the reading it was made on, if any. */
    private static Decision withUnanswered(Decision decision, List<String> unanswered) {
        return unanswered.isEmpty() ? decision : new Decision(decision.action(), decision.count(), decision.nodes(),
                decision.reason(), decision.detail() + "; read without " + String.join(", ", unanswered));
    }

    private PoolState poolState(PoolReading reading, long now) {
        FleetSnapshot fleet = reading.fleet();
        List<Node> nodes = new ArrayList<>();
        int queue = reading.queued();
        int inService = 0;
        for (int slot = 0; slot < fleet.size(); slot++) {
            Endpoint endpoint = fleet.endpoint(slot);
            EndpointLoad load = fleet.load(slot);
            if (!endpoint.pool().equals(settings.pool()) || released.contains(endpoint.id())
                    || load.lifecycle() == Lifecycle.REMOVED) {
                continue;
            }
            int serving = inService(load, reading.inFlight().count(slot));
            long started = startedAt.computeIfAbsent(endpoint.id(), id -> now);
            nodes.add(new Node(endpoint.id(), endpoint.region(), endpoint.capacity(), endpoint.pricePerHour(), started,
                    load.lifecycle(), smoother.smooth(endpoint.id(), utilisation(load, serving), now)));
            if (load.lifecycle() != Lifecycle.DRAINING) {
                queue += Math.max(0, load.waiting());
                inService += serving;
            }
        }
        smoother.retainOnly(nodes.stream().map(Node::id).collect(Collectors.toSet()));
        for (PendingNode node : pending.values()) {
            nodes.add(new Node(node.spec().id(), node.spec().region(), node.spec().capacity(), node.spec().pricePerHour(),
                    node.requestedAtNanos(), Lifecycle.STARTING, Double.NaN));
        }
        return new PoolState(nodes, List.of(), settings.homeRegion(), provider.room(settings.homeRegion()), queue,
                inService);
    }

    /**
     * Requests a node is serving: those the gateway has in flight to it less those queued on the server
     * (in flight also counts requests on their way there and answers on their way back, which hold one
     * of the batch slots the gateway's flow control allots), or the server's own running count if higher.
     */
    private static int inService(EndpointLoad load, int inFlight) {
        return Math.max(Math.max(0, load.running()), inFlight - Math.max(0, load.waiting()));
    }

    /**
     * Busy share of a node, unknown while its figures are stale; the autoscaler sees it smoothed over
     * {@code utilisation_window_ms}. With {@code max_num_seqs} configured, the share of the node's binding
     * resource in use: the larger of its batch occupancy (requests in service ÷ max_num_seqs) and its
     * KV-cache use. A batching engine's GPU runs a step whenever it holds one request, at nearly the cost
     * of a full batch, so GPU utilisation says whether a node is working, not how much more it could
     * take. Without it, GPU utilisation when known, else KV-cache use.
     */
    private double utilisation(EndpointLoad load, int inService) {
        if (load.stale()) {
            return Double.NaN;
        }
        if (settings.maxNumSeqs() > 0) {
            double occupancy = Math.min(1, (double) inService / settings.maxNumSeqs());
            return Double.isNaN(load.kvCacheUsage()) ? occupancy : Math.max(occupancy, load.kvCacheUsage());
        }
        return Double.isNaN(load.gpuUtilisation()) ? load.kvCacheUsage() : load.gpuUtilisation();
    }

    private void startNode(NodeChoice choice, FleetSnapshot fleet, long now) {
        String id;
        do {
            id = target.nodeIdPrefix(settings.pool()) + nextNodeNumber++;
        } while (fleet.slotOf(id) >= 0 || pending.containsKey(id));
        NodeSpec spec = new NodeSpec(id, settings.pool(), Set.copyOf(models), choice.region(), choice.capacity(),
                settings.price(choice.capacity()));
        pending.put(id, new PendingNode(spec, now));
        String nodeId = id;
        provider.start(spec).whenComplete((endpoint, failure) -> {
            if (failure != null) {
                pending.remove(nodeId);
                startFailures.increment();
                LOG.warning(() -> "autoscaler of pool '" + settings.pool() + "': node " + nodeId + " failed to start: "
                        + failure.getMessage());
                return;
            }
            Optional<String> refusal = addresses.refusal(endpoint.url());
            if (refusal.isPresent()) {
                pending.remove(nodeId);
                startFailures.increment();
                LOG.warning(() -> "autoscaler of pool '" + settings.pool() + "': node " + nodeId + " refused, it is not"
                        + " added and is stopped: " + refusal.get());
                provider.stop(endpoint);
                return;
            }
            synchronized (this) { // an evaluation sees the node either pending or in the fleet, never both
                startedAt.put(nodeId, now);
                target.add(endpoint);
                pending.remove(nodeId);
            }
            LOG.info(() -> "autoscaler of pool '" + settings.pool() + "': node " + nodeId + " serves at " + endpoint.url());
        });
    }

    private void drainNode(String id, FleetSnapshot fleet) {
        int slot = fleet.slotOf(id);
        if (slot >= 0 && !released.contains(id)) {
            releasing.put(id, fleet.endpoint(slot));
            target.drain(id);
        }
    }

    private synchronized void preempted(String nodeId) {
        preemptions.increment();
        LOG.info(() -> "autoscaler of pool '" + settings.pool() + "': preemption notice for node " + nodeId
                + "; draining it");
        try {
            drainNode(nodeId, target.read(settings.pool()).fleet());
        } catch (UnreadablePoolException e) {
            LOG.warning(() -> "autoscaler of pool '" + settings.pool() + "': could not drain preempted node " + nodeId
                    + ": " + e.getMessage());
        }
    }

    /** Stops each released node whose last request has finished. */
    private void stopDrainedNodes(PoolReading reading) {
        FleetSnapshot fleet = reading.fleet();
        for (Endpoint endpoint : List.copyOf(releasing.values())) {
            int slot = fleet.slotOf(endpoint.id());
            if (slot >= 0 && reading.inFlight().count(slot) > 0) {
                continue;
            }
            releasing.remove(endpoint.id());
            released.add(endpoint.id());
            provider.stop(endpoint).whenComplete((ignored, failure) -> {
                if (failure != null) {
                    LOG.warning(() -> "autoscaler of pool '" + settings.pool() + "': stopping node " + endpoint.id()
                            + " failed: " + failure.getMessage());
                }
            });
        }
    }

    private void record(Decision decision, long now) {
        decisionCounters.computeIfAbsent(decision.action().label() + "/" + decision.reason().label(), key ->
                Counter.builder("infergate.autoscaler.decisions")
                        .description("Autoscaler decisions by action and reason")
                        .tags("pool", settings.pool(), "action", decision.action().label(),
                                "reason", decision.reason().label())
                        .register(registry)).increment();
        Decision previous = lastDecision;
        lastDecision = decision;
        boolean acts = decision.action() != ScaleAction.HOLD;
        if (acts || previous == null || previous.reason() != decision.reason()) {
            LOG.info(() -> "autoscaler of pool '" + settings.pool() + "': " + decision.action().label()
                    + (acts ? " " + decision.count() : "") + " (" + decision.reason().label() + "): " + decision.detail());
        }
        if (acts) {
            synchronized (decisions) {
                decisions.addFirst(new LoggedDecision(now, decision));
                while (decisions.size() > DECISION_LOG_SIZE) {
                    decisions.removeLast();
                }
            }
        }
    }

    /** Integrates the pool's cost over time and divides the last minute's by the requests finished in it. */
    private void meterCost(PoolState state, long completedRequests, long now) {
        CostSample last = costSamples.peekLast();
        if (last != null) {
            dollarsSpent += lastState.costPerHour() * (now - last.atNanos()) / NANOS_PER_HOUR;
        }
        costSamples.addLast(new CostSample(now, dollarsSpent, completedRequests));
        while (costSamples.size() > 2 && now - costSamples.peekFirst().atNanos() > COST_WINDOW_NANOS) {
            costSamples.removeFirst();
        }
        CostSample first = costSamples.peekFirst();
        CostSample newest = costSamples.peekLast();
        long requests = newest.requests() - first.requests();
        costPerRequest = requests > 0 ? (newest.dollars() - first.dollars()) / requests : Double.NaN;
    }

    private double count(CapacityKind capacity, Lifecycle lifecycle) {
        return lastState.nodes().stream().filter(n -> n.capacity() == capacity && n.lifecycle() == lifecycle).count();
    }

    /**
     * What {@code GET /admin/autoscaler} shows for this pool: nodes, bounds, figures and recent decisions.
     * Reads the last evaluation without waiting for the next, so the admin listener never blocks.
     */
    public Map<String, Object> view() {
        long now = ticker.read();
        PoolState state = lastState;
        Autoscaler.Bounds bounds = autoscaler.bounds();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("pool", settings.pool());
        view.put("provider", settings.providerType());
        view.put("min_nodes", bounds.min());
        view.put("max_nodes", bounds.max());
        view.put("committed_nodes", state.committedNodes());
        view.put("queue", state.queueLength());
        view.put("utilisation", finiteOrNull(state.utilisation()));
        view.put("cost_per_hour", state.costPerHour());
        view.put("cost_per_request", finiteOrNull(costPerRequest));
        view.put("nodes", state.nodes().stream().map(n -> {
            Map<String, Object> node = new LinkedHashMap<>();
            node.put("id", n.id());
            node.put("region", n.region());
            node.put("capacity", label(n.capacity()));
            node.put("state", label(n.lifecycle()));
            node.put("age_s", n.ageNanos(now) / 1e9);
            node.put("utilisation", finiteOrNull(n.utilisation()));
            node.put("price_per_hour", n.pricePerHour());
            return node;
        }).toList());
        Decision last = lastDecision;
        view.put("last_decision", last == null ? null : describe(new LoggedDecision(now, last), now));
        synchronized (decisions) {
            view.put("decisions", decisions.stream().map(d -> describe(d, now)).toList());
        }
        return view;
    }

    private static Map<String, Object> describe(LoggedDecision logged, long now) {
        Decision d = logged.decision();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seconds_ago", (now - logged.atNanos()) / 1e9);
        out.put("action", d.action().label());
        out.put("count", d.count());
        out.put("reason", d.reason().label());
        out.put("detail", d.detail());
        out.put("nodes", d.nodes().stream().map(c -> c.nodeId().isEmpty()
                ? "new " + c.region() + " " + label(c.capacity()) : c.nodeId()).toList());
        return out;
    }

    private static Object finiteOrNull(double value) {
        return Double.isFinite(value) ? value : null;
    }

    private static String label(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** Stops evaluating and closes the provider, which stops the nodes it started. */
    @Override
    public void close() {
        loop.shutdownNow();
        provider.close();
    }
}
