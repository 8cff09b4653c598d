package io.infergate.gateway.scale;

import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.scale.Autoscaler;
import io.infergate.core.scale.Decision;
import io.infergate.core.scale.LoggedDecision;
import io.infergate.core.scale.NodeProvider;
import io.infergate.core.scale.NodeSpec;
import io.infergate.core.scale.PoolReading;
import io.infergate.core.scale.PoolScaler;
import io.infergate.core.scale.PoolState;
import io.infergate.core.scale.ScaleAction;
import io.infergate.core.scale.ScalingRound;
import io.infergate.core.time.Ticker;
import io.infergate.gateway.config.AutoscalerSettings;
import io.infergate.gateway.config.PoolConfig;
import io.infergate.gateway.security.EndpointAddressPolicy;
import io.infergate.gateway.security.HostResolver;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs one pool's core {@link PoolScaler} against the live fleet, and does its I/O: every interval it
 * reads the pool from the {@link ScalingTarget} (the gateway it runs in, or the admin APIs of remote
 * gateways), has the scaler decide, and carries the round out: the {@link NodeProvider} stops the
 * released nodes that drained and starts new ones, and the target drains the nodes released. The
 * decisions, and the books they rest on (starting, draining and stopped nodes, utilisation, cost), are
 * the core's. When the pool cannot be read it holds ({@code no_data}): it acts on no data, and stops no
 * node. An added node joins the fleet once the provider reports it serving, unless its address is one
 * the pool's rules refuse ({@link EndpointAddressPolicy}): then it is stopped and counted as a start
 * failure. A preemption notice from the provider drains the node at once, so its work moves elsewhere
 * before it vanishes. Every decision is counted ({@code infergate_autoscaler_decisions_total{pool,action,reason}});
 * adds and releases, and each change of the reason for holding, are logged; {@link #view} is what
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

    private final AutoscalerSettings settings;
    private final EndpointAddressPolicy addresses;
    private final NodeProvider provider;
    private final ScalingTarget target;
    private final MeterRegistry registry;
    private final Ticker ticker;
    private final PoolScaler scaler;
    private final ScheduledExecutorService loop;
    private final Map<String, Counter> decisionCounters = new ConcurrentHashMap<>();
    private final Counter preemptions;
    private final Counter startFailures;

    /** @param scaledPool the pool: its nodes serve its models, and must have addresses its rules allow */
    public PoolAutoscaler(AutoscalerSettings settings, PoolConfig scaledPool, NodeProvider provider, ScalingTarget target,
                          MeterRegistry registry, Ticker ticker, InstantSource wallClock) {
        this.settings = settings;
        this.addresses = new EndpointAddressPolicy(scaledPool.allowedEndpoints(), HostResolver.system());
        this.provider = provider;
        this.target = target;
        this.registry = registry;
        this.ticker = ticker;
        this.scaler = PoolScaler.builder(settings.pool(), Set.copyOf(scaledPool.models()))
                .policy(settings.policy())
                .homeRegion(settings.homeRegion())
                .prices(settings::price)
                .maxNumSeqs(settings.maxNumSeqs())
                .utilisationWindow(settings.utilisationWindow())
                .nodeIdPrefix(target.nodeIdPrefix(settings.pool()))
                .clocks(ticker, wallClock)
                .build();
        this.loop = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("autoscaler-" + settings.pool()).factory());
        String pool = settings.pool();
        this.preemptions = Counter.builder("infergate.autoscaler.preemptions").tag("pool", pool)
                .description("Preemption notices received for the pool's nodes").register(registry);
        this.startFailures = Counter.builder("infergate.autoscaler.start.failures").tag("pool", pool)
                .description("Nodes the provider failed to start").register(registry);
        for (CapacityKind capacity : CapacityKind.values()) {
            for (Lifecycle lifecycle : Lifecycle.values()) {
                Gauge.builder("infergate.autoscaler.nodes", scaler, s -> count(s.state(), capacity, lifecycle))
                        .description("Nodes of the pool by capacity kind and state")
                        .tags("pool", pool, "capacity", label(capacity), "state", label(lifecycle))
                        .register(registry);
            }
        }
        Gauge.builder("infergate.pool.cost.per.hour.dollars", scaler, s -> s.state().costPerHour())
                .description("What the pool's nodes cost per hour").tag("pool", pool).register(registry);
        Gauge.builder("infergate.pool.cost.per.request.dollars", scaler, PoolScaler::costPerRequest)
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

    /** One round: read the pool, let the core decide, stop the drained nodes, start and drain. Returns the decision. */
    public synchronized Decision evaluate() {
        ScalingRound round;
        try {
            PoolReading reading = target.read(settings.pool());
            round = scaler.evaluate(reading, provider.room(settings.homeRegion()));
        } catch (UnreadablePoolException e) {
            round = scaler.unreadable(e.getMessage());
        }
        round.stop().forEach(this::stopNode);
        record(round);
        round.start().forEach(this::startNode);
        round.drain().forEach(target::drain);
        return round.decision();
    }

    private void startNode(NodeSpec spec) {
        String nodeId = spec.id();
        provider.start(spec).whenComplete((endpoint, failure) -> {
            if (failure != null) {
                scaler.startFailed(nodeId);
                startFailures.increment();
                LOG.warning(() -> "autoscaler of pool '" + settings.pool() + "': node " + nodeId + " failed to start: "
                        + failure.getMessage());
                return;
            }
            Optional<String> refusal = addresses.refusal(endpoint.url());
            if (refusal.isPresent()) {
                scaler.startFailed(nodeId);
                startFailures.increment();
                LOG.warning(() -> "autoscaler of pool '" + settings.pool() + "': node " + nodeId + " refused, it is not"
                        + " added and is stopped: " + refusal.get());
                provider.stop(endpoint);
                return;
            }
            synchronized (this) { // an evaluation sees the node either starting or in the fleet, never both
                target.add(endpoint);
                scaler.started(nodeId);
            }
            LOG.info(() -> "autoscaler of pool '" + settings.pool() + "': node " + nodeId + " serves at " + endpoint.url());
        });
    }

    private void stopNode(Endpoint endpoint) {
        provider.stop(endpoint).whenComplete((ignored, failure) -> {
            if (failure != null) {
                LOG.warning(() -> "autoscaler of pool '" + settings.pool() + "': stopping node " + endpoint.id()
                        + " failed: " + failure.getMessage());
            }
        });
    }

    private synchronized void preempted(String nodeId) {
        preemptions.increment();
        LOG.info(() -> "autoscaler of pool '" + settings.pool() + "': preemption notice for node " + nodeId
                + "; draining it");
        try {
            if (scaler.release(nodeId, target.read(settings.pool()).fleet())) {
                target.drain(nodeId);
            }
        } catch (UnreadablePoolException e) {
            LOG.warning(() -> "autoscaler of pool '" + settings.pool() + "': could not drain preempted node " + nodeId
                    + ": " + e.getMessage());
        }
    }

    /** Counts the round's decision, and logs it when it is an add, a release or a new reason for holding. */
    private void record(ScalingRound round) {
        Decision decision = round.decision();
        decisionCounters.computeIfAbsent(decision.action().label() + "/" + decision.reason().label(), key ->
                Counter.builder("infergate.autoscaler.decisions")
                        .description("Autoscaler decisions by action and reason")
                        .tags("pool", settings.pool(), "action", decision.action().label(),
                                "reason", decision.reason().label())
                        .register(registry)).increment();
        if (round.noteworthy()) {
            boolean acts = decision.action() != ScaleAction.HOLD;
            LOG.info(() -> "autoscaler of pool '" + settings.pool() + "': " + decision.action().label()
                    + (acts ? " " + decision.count() : "") + " (" + decision.reason().label() + "): " + decision.detail());
        }
    }

    private static double count(PoolState state, CapacityKind capacity, Lifecycle lifecycle) {
        return state.nodes().stream().filter(n -> n.capacity() == capacity && n.lifecycle() == lifecycle).count();
    }

    /**
     * What {@code GET /admin/autoscaler} shows for this pool: nodes, bounds, figures and recent decisions.
     * Reads the last evaluation without waiting for the next, so the admin listener never blocks.
     */
    public Map<String, Object> view() {
        long now = ticker.read();
        PoolState state = scaler.state();
        Autoscaler.Bounds bounds = scaler.bounds();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("pool", settings.pool());
        view.put("provider", settings.providerType());
        view.put("min_nodes", bounds.min());
        view.put("max_nodes", bounds.max());
        view.put("committed_nodes", state.committedNodes());
        view.put("queue", state.queueLength());
        view.put("utilisation", finiteOrNull(state.utilisation()));
        view.put("cost_per_hour", state.costPerHour());
        view.put("cost_per_request", finiteOrNull(scaler.costPerRequest()));
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
        view.put("last_decision", scaler.lastDecision().map(last -> describe(new LoggedDecision(now, last), now))
                .orElse(null));
        view.put("decisions", scaler.recentDecisions().stream().map(d -> describe(d, now)).toList());
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
