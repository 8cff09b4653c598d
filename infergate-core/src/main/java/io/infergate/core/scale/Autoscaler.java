package io.infergate.core.scale;

import io.infergate.core.fleet.Lifecycle;
import io.infergate.core.time.Ticker;

import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Turns the state of one pool into a {@link Decision}: add nodes, release nodes, or hold. The host
 * (the gateway, {@code ./infergate autoscale}) calls {@link #decide} every second or so
 * and carries the decision out through its node provider. Pure: no I/O; time comes from the injected
 * {@link Ticker} (cool-downs, node ages) and {@link InstantSource} (schedule windows).
 *
 * <p>Precedence, first match wins:
 * <ol>
 *   <li><b>Bounds.</b> Fewer committed (starting or ready) nodes than the minimum, or more than the
 *       maximum, are corrected at once, cool-downs notwithstanding. The minimum is the configured one
 *       raised by an open schedule window; the maximum the configured one lowered by it.</li>
 *   <li><b>Burst.</b> Adds every node up to the maximum in one decision, cool-downs notwithstanding,
 *       when the queue explodes: it is past the burst line ({@code burstFactor × threshold × nodes}),
 *       or more than {@code threshold} requests wait (the pool is full) while those it holds (waiting or in service) have
 *       risen throughout the last {@code growthWindow} ({@link QueueGrowth}: arrivals exceed what the
 *       pool serves), and at that rate the queue would cross the burst line within
 *       {@code burstHorizon} (the time new nodes take to serve): waiting for the length alone would
 *       leave the pool short for the whole start-up delay. The growth trigger stays off for one
 *       scale-down cool-down after a release: the queue the remaining nodes build while they take up
 *       the released nodes' work is the release's own transient, left to the hot-plug rule.</li>
 *   <li><b>Scale up.</b> The hot-plug rule (queue length &gt; threshold × node count: one node) or
 *       utilisation above the band (the node count whose predicted utilisation lies nearest the band,
 *       nearest its middle among those inside it), whichever asks for more; at most one such add per
 *       scale-up cool-down. Nodes are whole: when one more would leave the pool further below the band
 *       than it is above it, the band asks for none ({@link ScaleReason#NEAREST_TO_BAND}), and a queue
 *       that builds is the hot-plug rule's to answer; but a saturated pool (99 % or more, a figure that
 *       hides how much more is asked) gets the nodes that would bring its figure to the band's middle.</li>
 *   <li><b>Scale down.</b> Only when the hot-plug rule's release condition (queue length &lt; threshold
 *       × 0.7 × node count) and utilisation below the band (or unknown) have held at every evaluation
 *       for the whole scale-down cool-down, no add or release happened in it, and no node is starting.
 *       Releases the nodes that would have been redundant at the calm period's peak: the queue would
 *       still have stayed under the release line, and utilisation at or under the band's top (adds aim
 *       at its middle, so a release does not bring the next add closer); at most {@code maxReleaseStep},
 *       oldest first.</li>
 *   <li><b>Hold.</b></li>
 * </ol>
 * The 0.7 factor and the band give hysteresis; the continuous scale-down window is what stops a load
 * oscillating faster than the cool-down from adding and releasing in turn.
 *
 * <pre>{@code
 * Autoscaler autoscaler = new Autoscaler(AutoscalerConfig.builder().minNodes(2).maxNodes(16).build(),
 *         Ticker.system(), InstantSource.system());
 * Decision decision = autoscaler.decide(PoolState.of(nodes, "eu-west", queueLength));
 * }</pre>
 *
 * <p>One evaluation at a time: {@link #decide} is synchronised.
 */
public final class Autoscaler {

    /** The hot-plug rule's hysteresis: release below threshold × 0.7 × node count. */
    public static final double RELEASE_FACTOR = 0.7;

    /** Nodes that have run longer than this are released first. */
    public static final Duration OLD_NODE_AGE = Duration.ofHours(24);

    /**
     * Utilisation from which the figure is a floor rather than a measure: a full pool shows 100 % however
     * much more it is asked. The band then adds for its middle, as if the figure were exact.
     */
    static final double SATURATED = 0.99;

    private static final long NEVER = Long.MIN_VALUE;

    private final AutoscalerConfig config;
    private final Ticker ticker;
    private final InstantSource wallClock;
    private final QueueGrowth growth;

    private long lastAddNanos = NEVER;
    private long lastReleaseNanos = NEVER;
    private long quietSinceNanos = NEVER;
    private int peakQueueWhileQuiet;
    private double peakUtilisationWhileQuiet = Double.NaN;

    public Autoscaler(AutoscalerConfig config, Ticker ticker, InstantSource wallClock) {
        this.config = Objects.requireNonNull(config, "config");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.wallClock = Objects.requireNonNull(wallClock, "wallClock");
        this.growth = new QueueGrowth(config.growthWindow());
    }

    public AutoscalerConfig config() {
        return config;
    }

    /** The bounds in force now: the configured ones narrowed by the open schedule window, if any. */
    public Bounds bounds() {
        Optional<ScheduleWindow> open = config.schedule().openAt(wallClock.instant());
        int min = config.minNodes();
        int max = config.maxNodes();
        ScaleReason minReason = ScaleReason.BELOW_MIN;
        ScaleReason maxReason = ScaleReason.ABOVE_MAX;
        if (open.isPresent()) {
            ScheduleWindow window = open.get();
            if (window.minNodes() > min) {
                min = Math.min(window.minNodes(), max);
                minReason = ScaleReason.SCHEDULE_MIN;
            }
            if (window.maxNodes() < max) {
                max = Math.max(window.maxNodes(), min);
                maxReason = ScaleReason.SCHEDULE_MAX;
            }
        }
        return new Bounds(min, max, minReason, maxReason);
    }

    /** Decides what to do with {@code pool} now, and remembers adds and releases for the cool-downs. */
    public synchronized Decision decide(PoolState pool) {
        long now = ticker.read();
        Bounds bounds = bounds();
        int nodes = pool.committedNodes();
        int queue = pool.queueLength();
        double threshold = config.queueThreshold();
        double utilisation = pool.utilisation();
        growth.record(now, pool.held());

        if (nodes < bounds.min()) {
            return add(pool, bounds.min() - nodes, bounds.minReason(),
                    "%d nodes < minimum %d".formatted(nodes, bounds.min()), now);
        }
        if (nodes > bounds.max()) {
            return release(pool, nodes - bounds.max(), bounds.maxReason(),
                    "%d nodes > maximum %d".formatted(nodes, bounds.max()), now);
        }
        double burstLine = config.burstFactor() * threshold * nodes;
        if (queue > burstLine && nodes < bounds.max()) {
            return add(pool, bounds.max() - nodes, ScaleReason.BURST,
                    "queue %d > burst factor %s × threshold %s × %d nodes: to the maximum %d"
                            .formatted(queue, fmt(config.burstFactor()), fmt(threshold), nodes, bounds.max()), now);
        }
        double rate = growth.sustainedRate(now);
        double horizon = config.burstHorizon().toNanos() / 1e9;
        boolean settledSinceRelease = elapsedSince(lastReleaseNanos, now) >= config.scaleDownCooldown().toNanos();
        if (queue > threshold && rate > 0 && queue + rate * horizon > burstLine && nodes < bounds.max()
                && settledSinceRelease) {
            return add(pool, bounds.max() - nodes, ScaleReason.BURST_GROWTH,
                    ("queue %d > threshold %s, requests held rising %s/s for %s: queue %s in %s > burst line %s: "
                            + "to the maximum %d")
                            .formatted(queue, fmt(threshold), String.format(Locale.ROOT, "%.1f", rate),
                                    seconds(config.growthWindow().toNanos()),
                                    String.format(Locale.ROOT, "%.0f", queue + rate * horizon),
                                    seconds(config.burstHorizon().toNanos()), fmt(burstLine), bounds.max()), now);
        }

        boolean queueOver = queue > threshold * nodes;
        boolean bandOver = utilisation > config.bandHigh();
        int bandDeficit = !bandOver ? 0 : utilisation >= SATURATED
                ? Math.max(0, nodesFor(pool, utilisation, config.bandTarget()) - nodes)
                : nodesNearestBand(pool, utilisation, nodes) - nodes;
        if (bandOver && bandDeficit == 0 && !queueOver && utilisation < SATURATED) {
            quietSinceNanos = NEVER;
            int starting = startingNodes(pool);
            return Decision.hold(ScaleReason.NEAREST_TO_BAND, "utilisation %s > band %s on %d nodes%s, but %d nodes would be at %s"
                    .formatted(pct(utilisation), band(), nodes, starting > 0 ? " (%d starting)".formatted(starting) : "",
                            nodes + 1, pct(readyNodes(pool) * utilisation / (nodes + 1))));
        }
        if (queueOver || bandDeficit > 0) {
            quietSinceNanos = NEVER;
            String why = queueOver
                    ? "queue %d > threshold %s × %d nodes".formatted(queue, fmt(threshold), nodes)
                    : "utilisation %s > band %s".formatted(pct(utilisation), band());
            if (nodes >= bounds.max()) {
                return Decision.hold(ScaleReason.AT_MAX, why + ", already at the maximum " + bounds.max());
            }
            long sinceAdd = elapsedSince(lastAddNanos, now);
            if (sinceAdd < config.scaleUpCooldown().toNanos()) {
                return Decision.hold(ScaleReason.SCALE_UP_COOLDOWN, why + ", last add %s ago (cool-down %s)"
                        .formatted(seconds(sinceAdd), seconds(config.scaleUpCooldown().toNanos())));
            }
            int wanted = Math.min(Math.max(queueOver ? 1 : 0, bandDeficit), bounds.max() - nodes);
            ScaleReason reason = bandDeficit > (queueOver ? 1 : 0)
                    ? ScaleReason.UTILISATION_ABOVE_BAND : ScaleReason.QUEUE_OVER_THRESHOLD;
            return add(pool, wanted, reason, why, now);
        }

        boolean queueUnder = queue < RELEASE_FACTOR * threshold * nodes;
        boolean bandUnder = Double.isNaN(utilisation) || utilisation < config.bandLow();
        if (!queueUnder || !bandUnder || nodes <= bounds.min()) {
            quietSinceNanos = NEVER;
            return Decision.hold(ScaleReason.IN_BAND, "queue %d, utilisation %s, %d nodes (min %d, max %d)"
                    .formatted(queue, pct(utilisation), nodes, bounds.min(), bounds.max()));
        }
        if (startingNodes(pool) > 0) {
            quietSinceNanos = NEVER;
            return Decision.hold(ScaleReason.NODES_STARTING,
                    "release possible but %d nodes still starting".formatted(startingNodes(pool)));
        }
        if (quietSinceNanos == NEVER) {
            quietSinceNanos = now;
            peakQueueWhileQuiet = queue;
            peakUtilisationWhileQuiet = utilisation;
        } else {
            peakQueueWhileQuiet = Math.max(peakQueueWhileQuiet, queue);
            peakUtilisationWhileQuiet = Double.isNaN(peakUtilisationWhileQuiet) ? utilisation
                    : Double.isNaN(utilisation) ? peakUtilisationWhileQuiet
                    : Math.max(peakUtilisationWhileQuiet, utilisation);
        }
        long calm = Math.min(elapsedSince(quietSinceNanos, now),
                Math.min(elapsedSince(lastAddNanos, now), elapsedSince(lastReleaseNanos, now)));
        String why = "queue %d < threshold %s × %s × %d nodes, utilisation %s"
                .formatted(queue, fmt(threshold), fmt(RELEASE_FACTOR), nodes, pct(utilisation));
        if (calm < config.scaleDownCooldown().toNanos()) {
            return Decision.hold(ScaleReason.SCALE_DOWN_COOLDOWN, why + ", calm for %s (cool-down %s)"
                    .formatted(seconds(calm), seconds(config.scaleDownCooldown().toNanos())));
        }
        int redundant = Math.min(Math.min(redundantByQueue(peakQueueWhileQuiet, nodes),
                redundantByBand(pool, peakUtilisationWhileQuiet, nodes)), nodes - bounds.min());
        if (redundant <= 0) {
            quietSinceNanos = NEVER;
            return Decision.hold(ScaleReason.IN_BAND, why + ", but at the calm period's peak (queue %d, utilisation %s) "
                    .formatted(peakQueueWhileQuiet, pct(peakUtilisationWhileQuiet)) + "no node is redundant");
        }
        return release(pool, Math.min(redundant, config.maxReleaseStep()), ScaleReason.QUEUE_UNDER_THRESHOLD,
                why + "; %d redundant at the calm period's peak (queue %d, utilisation %s)"
                        .formatted(redundant, peakQueueWhileQuiet, pct(peakUtilisationWhileQuiet)), now);
    }

    private Decision add(PoolState pool, int count, ScaleReason reason, String why, long now) {
        List<NodeChoice> chosen = NodeSelection.toAdd(pool, count, config.hybrid());
        if (chosen.isEmpty()) {
            return Decision.hold(ScaleReason.NO_CAPACITY, why + ", but the provider has no room in any region");
        }
        lastAddNanos = now;
        quietSinceNanos = NEVER;
        return Decision.add(chosen, reason, why + "; add " + describe(chosen));
    }

    private Decision release(PoolState pool, int count, ScaleReason reason, String why, long now) {
        List<NodeChoice> chosen = NodeSelection.toRelease(pool, count, config.hybrid());
        if (chosen.isEmpty()) {
            return Decision.hold(ScaleReason.IN_BAND,
                    why + ", but every node is a dedicated one the pool keeps (" + config.hybrid().dedicatedMin() + ")");
        }
        lastReleaseNanos = now;
        quietSinceNanos = NEVER;
        long oldNanos = OLD_NODE_AGE.toNanos();
        long old = pool.nodes().stream()
                .filter(n -> chosen.stream().anyMatch(c -> c.nodeId().equals(n.id())) && n.ageNanos(now) > oldNanos)
                .count();
        return Decision.release(chosen, reason, why + "; release " + describe(chosen) + ", oldest first"
                + (old > 0 ? " (%d past %d h)".formatted(old, OLD_NODE_AGE.toHours()) : ""));
    }

    /**
     * Of the node counts from {@code nodes} up, the one at which the ready nodes' busy share
     * would lie nearest the band: inside it if any count gets there (nearest its middle among those),
     * else the least distance to its edge. {@code nodes} itself wins ties, so the band never adds a node
     * that does not bring the pool closer.
     */
    private int nodesNearestBand(PoolState pool, double utilisation, int nodes) {
        double busy = readyNodes(pool) * utilisation;
        int best = nodes;
        // Past the first count below the band, more nodes only take the pool further from it.
        for (int n = nodes + 1; busy / (n - 1) > config.bandLow(); n++) {
            if (compareToBand(busy / n, busy / best) < 0) {
                best = n;
            }
        }
        return best;
    }

    /** Negative when utilisation {@code a} is nearer the band than {@code b}: outside distance first, then distance to the middle. */
    private int compareToBand(double a, double b) {
        int outside = Double.compare(outsideBand(a), outsideBand(b));
        return outside != 0 ? outside
                : Double.compare(Math.abs(a - config.bandTarget()), Math.abs(b - config.bandTarget()));
    }

    private double outsideBand(double utilisation) {
        return Math.max(0, Math.max(config.bandLow() - utilisation, utilisation - config.bandHigh()));
    }

    /** Nodes needed for the ready nodes' busy share to sit at {@code target}. */
    private static int nodesFor(PoolState pool, double utilisation, double target) {
        return (int) Math.ceil(readyNodes(pool) * utilisation / target - 1e-9);
    }

    private static int readyNodes(PoolState pool) {
        int ready = 0;
        for (Node node : pool.nodes()) {
            if (node.lifecycle() == Lifecycle.READY) {
                ready++;
            }
        }
        return ready;
    }

    /** Nodes beyond the fewest (at least one) that would still keep the queue under the release line. */
    private int redundantByQueue(int queue, int nodes) {
        int needed = (int) Math.floor(queue / (RELEASE_FACTOR * config.queueThreshold())) + 1;
        return nodes - needed;
    }

    /**
     * Nodes beyond those that keep the ready nodes' busy share at or under the band's top: releases aim
     * at the top where adds aim at the middle, so a release never brings the next add closer.
     */
    private int redundantByBand(PoolState pool, double utilisation, int nodes) {
        if (Double.isNaN(utilisation)) {
            return nodes;
        }
        return nodes - Math.max(1, nodesFor(pool, utilisation, config.bandHigh()));
    }

    private static int startingNodes(PoolState pool) {
        int n = 0;
        for (Node node : pool.nodes()) {
            if (node.lifecycle() == Lifecycle.STARTING) {
                n++;
            }
        }
        return n;
    }

    private static long elapsedSince(long then, long now) {
        return then == NEVER ? Long.MAX_VALUE : now - then;
    }

    private static String describe(List<NodeChoice> chosen) {
        StringBuilder text = new StringBuilder().append(chosen.size()).append(chosen.size() == 1 ? " node" : " nodes").append(" [");
        for (int i = 0; i < chosen.size(); i++) {
            NodeChoice c = chosen.get(i);
            if (i > 0) {
                text.append(", ");
            }
            text.append(c.nodeId().isEmpty() ? "new" : c.nodeId()).append(' ')
                    .append(c.placement().name().toLowerCase(Locale.ROOT)).append(' ').append(c.region())
                    .append(' ').append(c.capacity().name().toLowerCase(Locale.ROOT));
        }
        return text.append(']').toString();
    }

    private String band() {
        return pct(config.bandLow()) + "–" + pct(config.bandHigh());
    }

    private static String pct(double ratio) {
        return Double.isNaN(ratio) ? "unknown" : String.format(Locale.ROOT, "%.0f%%", ratio * 100);
    }

    private static String fmt(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    private static String seconds(long nanos) {
        return nanos == Long.MAX_VALUE ? "never" : String.format(Locale.ROOT, "%.1fs", nanos / 1e9);
    }

    /**
     * The node bounds in force, and the reason a decision correcting each would carry.
     *
     * @param min       least committed nodes
     * @param max       most committed nodes
     * @param minReason {@link ScaleReason#BELOW_MIN} or {@link ScaleReason#SCHEDULE_MIN}
     * @param maxReason {@link ScaleReason#ABOVE_MAX} or {@link ScaleReason#SCHEDULE_MAX}
     */
    public record Bounds(int min, int max, ScaleReason minReason, ScaleReason maxReason) {
    }
}
