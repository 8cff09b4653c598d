package io.infergate.core.health;

import io.infergate.core.fleet.Endpoint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Passive health: ejects endpoints whose requests fail or lag, from the outcomes the gateway reports,
 * and re-admits them after a backoff or a passing probe, easing them back in with a slow start.
 *
 * <pre>{@code
 * OutlierDetector detector = OutlierDetector.builder().listener(onHealthEvent).build();
 * detector.track(fleet.endpoints());                         // and on every change of the endpoint set
 * detector.onSuccess(endpointId, firstByteNanos, now);       // each attempt that got a response head
 * detector.onFailure(endpointId, now);                       // connect error, 5xx, per-try timeout
 * detector.onProbe(endpointId, passed, now);                 // each active probe, ejected endpoints too
 * detector.onStall(endpointId, now);                         // requests wait on it and it answers nothing
 * detector.sweep(now);                                       // every 100-500 ms from one timer
 * Scheduler scheduler = Scheduler.loadAware(config, prefixes, detector::slowStarts);
 * }</pre>
 *
 * <p><b>Ejection.</b> An endpoint is ejected when, since its last success, {@code consecutiveFailures}
 * requests failed in a row; when, among at least {@code errorRateMinRequests} requests of the recent
 * {@code window}, the share that failed reaches {@code errorRate}; when, at a {@link #sweep}, the mean
 * latency of its window exceeds {@code latencyFactor} times the median of the means of its pool
 * (each mean over at least {@code latencyMinSamples} samples, and at least
 * {@code latencyMinEndpoints} endpoints of the pool with that many); when {@code probeFailures}
 * active probes failed in a row; or when the gateway saw it stall ({@link #onStall}). Ejections never
 * leave more than {@code maxEjectionShare} of a pool's endpoints ejected at once, rounded down (with
 * the default half, a pool of one is never emptied and a pool of three loses at most one); an
 * ejection refused for that reason is tried again at the endpoint's next failure. Outcomes of
 * requests that finish while their endpoint is ejected are ignored.
 *
 * <p><b>Re-admission.</b> The n-th ejection in a row lasts {@code baseEjection * 2^(n-1)}, at most
 * {@code maxEjection}; n falls back by one for every {@code backoffDecay} the endpoint then stays
 * healthy. When its time is up a {@link #sweep} re-admits it, unless a probe failed while it was
 * ejected, or it was ejected for failed probes or a stall: the endpoint is then known to be down, and it
 * comes back at the first probe that passes, whether the backoff is over or not (so a dead endpoint
 * returns as soon as it answers again). A re-admitted endpoint starts with an empty window and a
 * {@link SlowStart} lasting {@code slowStart}.
 *
 * <p><b>Threads.</b> Safe from any thread. Each pool has its own lock, held for one outcome (a few
 * hundred nanoseconds) or one pool's sweep; {@link #slowStarts} reads a published immutable list
 * without locking. The listener runs on the reporting thread with the pool locked, so events of one
 * endpoint arrive in order: it must be quick (swap a snapshot, log, count), must not call
 * {@link #track} (which locks the detector, then the pools) and must not wait for another thread
 * that calls this detector.
 */
public final class OutlierDetector {

    private final int consecutiveFailures;
    private final double errorRate;
    private final int errorRateMinRequests;
    private final long windowNanos;
    private final double latencyFactor;
    private final int latencyMinSamples;
    private final int latencyMinEndpoints;
    private final long baseEjectionNanos;
    private final long maxEjectionNanos;
    private final long backoffDecayNanos;
    private final double maxEjectionShare;
    private final long slowStartNanos;
    private final int probeFailures;
    private final Consumer<HealthEvent> listener;

    private final ConcurrentHashMap<String, Member> members = new ConcurrentHashMap<>();
    /** Guarded by {@code this}. */
    private final Map<String, Pool> pools = new HashMap<>();
    private final AtomicReference<List<SlowStart>> slowStarts = new AtomicReference<>(List.of());

    private OutlierDetector(Builder builder) {
        this.consecutiveFailures = builder.consecutiveFailures;
        this.errorRate = builder.errorRate;
        this.errorRateMinRequests = builder.errorRateMinRequests;
        this.windowNanos = builder.window.toNanos();
        this.latencyFactor = builder.latencyFactor;
        this.latencyMinSamples = builder.latencyMinSamples;
        this.latencyMinEndpoints = builder.latencyMinEndpoints;
        this.baseEjectionNanos = builder.baseEjection.toNanos();
        this.maxEjectionNanos = builder.maxEjection.toNanos();
        this.backoffDecayNanos = builder.backoffDecay.toNanos();
        this.maxEjectionShare = builder.maxEjectionShare;
        this.slowStartNanos = builder.slowStart.toNanos();
        this.probeFailures = builder.probeFailures;
        this.listener = builder.listener;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Makes {@code endpoints} the set watched: new ones start healthy, missing ones are forgotten
     * (with their ejection and slow start), and one whose pool changed starts afresh in the new pool.
     * Call it at start and whenever the endpoint set changes (config reload, scaling, discovery).
     */
    public synchronized void track(Collection<Endpoint> endpoints) {
        Map<String, Endpoint> wanted = new HashMap<>();
        for (Endpoint endpoint : endpoints) {
            wanted.put(endpoint.id(), endpoint);
        }
        for (Member member : List.copyOf(members.values())) {
            Endpoint endpoint = wanted.get(member.id);
            if (endpoint == null || !endpoint.pool().equals(member.pool.name)) {
                synchronized (member.pool) {
                    member.pool.members.remove(member);
                    member.removed = true;
                    if (member.ejected) {
                        member.pool.ejected--;
                    }
                }
                members.remove(member.id);
                endSlowStart(member.id);
            }
        }
        for (Endpoint endpoint : wanted.values()) {
            if (!members.containsKey(endpoint.id())) {
                Pool pool = pools.computeIfAbsent(endpoint.pool(), Pool::new);
                Member member = new Member(endpoint.id(), pool, new OutcomeWindow(windowNanos));
                synchronized (pool) {
                    pool.members.add(member);
                }
                members.put(member.id, member);
            }
        }
        pools.values().removeIf(pool -> {
            synchronized (pool) {
                return pool.members.isEmpty();
            }
        });
    }

    /**
     * An attempt on {@code endpointId} got its response head (any status below 500).
     *
     * @param latencyNanos time from sending the request to the first byte of the response (the TTFT of
     *                     a stream), or -1 when not measured; feeds the latency comparison
     */
    public void onSuccess(String endpointId, long latencyNanos, long nowNanos) {
        Member member = members.get(endpointId);
        if (member == null) {
            return;
        }
        synchronized (member.pool) {
            if (member.removed || member.ejected) {
                return;
            }
            member.consecutiveFailures = 0;
            member.window.success(latencyNanos, nowNanos);
        }
    }

    /** An attempt on {@code endpointId} failed: connection refused or reset, a 5xx status, a per-try timeout. */
    public void onFailure(String endpointId, long nowNanos) {
        Member member = members.get(endpointId);
        if (member == null) {
            return;
        }
        synchronized (member.pool) {
            if (member.removed || member.ejected) {
                return;
            }
            member.consecutiveFailures++;
            member.window.failure(nowNanos);
            if (member.consecutiveFailures >= consecutiveFailures) {
                tryEject(member, EjectionCause.CONSECUTIVE_FAILURES, false, nowNanos);
            } else {
                int requests = member.window.requests(nowNanos);
                if (requests >= errorRateMinRequests
                        && member.window.failures(nowNanos) >= errorRate * requests) {
                    tryEject(member, EjectionCause.ERROR_RATE, false, nowNanos);
                }
            }
        }
    }

    /**
     * {@code endpointId} stalled ({@link StallRule}): a request waited on it far longer than its pool needs
     * while it answered nothing. It is ejected like an endpoint whose probes fail, so it comes back at its
     * first passing probe (within a probe interval, should the stall have been a fluke). Returns whether it
     * is ejected now (false when its pool already has its share ejected, or it is not tracked): only then
     * may the requests waiting on it give up, since a pool never loses all its endpoints to ejection.
     */
    public boolean onStall(String endpointId, long nowNanos) {
        Member member = members.get(endpointId);
        if (member == null) {
            return false;
        }
        synchronized (member.pool) {
            if (!member.removed && !member.ejected) {
                tryEject(member, EjectionCause.STALLED, true, nowNanos);
            }
            return !member.removed && member.ejected;
        }
    }

    /**
     * An active probe of {@code endpointId} (its server type's health path) passed or failed. Probe
     * ejected endpoints too: a passing probe is what brings back an endpoint known to be down.
     */
    public void onProbe(String endpointId, boolean passed, long nowNanos) {
        Member member = members.get(endpointId);
        if (member == null) {
            return;
        }
        synchronized (member.pool) {
            if (member.removed) {
                return;
            }
            if (passed) {
                member.consecutiveProbeFailures = 0;
                if (member.ejected && member.awaitingProbe) {
                    readmit(member, true, nowNanos);
                }
                return;
            }
            member.consecutiveProbeFailures++;
            if (member.ejected) {
                member.awaitingProbe = true;
            } else if (member.consecutiveProbeFailures >= probeFailures) {
                tryEject(member, EjectionCause.PROBE_FAILURES, true, nowNanos);
            }
        }
    }

    /**
     * Re-admits the endpoints whose backoff is over, ejects latency outliers and ends finished slow
     * starts. Call it from one timer every 100-500 ms: without it, nothing comes back.
     */
    public void sweep(long nowNanos) {
        List<Pool> snapshot;
        synchronized (this) {
            snapshot = List.copyOf(pools.values());
        }
        for (Pool pool : snapshot) {
            synchronized (pool) {
                for (Member member : List.copyOf(pool.members)) {
                    if (member.ejected && !member.awaitingProbe && nowNanos - member.ejectedUntilNanos >= 0) {
                        readmit(member, false, nowNanos);
                    }
                }
                ejectLatencyOutliers(pool, nowNanos);
            }
        }
        List<SlowStart> ramps = slowStarts.get();
        if (ramps.stream().anyMatch(ramp -> ramp.over(nowNanos))) {
            slowStarts.updateAndGet(current -> current.stream().filter(ramp -> !ramp.over(nowNanos)).toList());
        }
    }

    /**
     * The endpoints re-admitted recently, each with its weight ramp; an immutable list, empty most
     * of the time, replaced (never changed) when an endpoint is re-admitted or its ramp ends. Cheap
     * enough to call on every pick.
     */
    public List<SlowStart> slowStarts() {
        return slowStarts.get();
    }

    /** Whether {@code endpointId} may get requests: false while it is ejected; true for an endpoint not tracked. */
    public boolean healthy(String endpointId) {
        Member member = members.get(endpointId);
        if (member == null) {
            return true;
        }
        synchronized (member.pool) {
            return !member.ejected;
        }
    }

    /** What is known of {@code endpointId} now, or {@code null} when it is not tracked. */
    public EndpointHealth health(String endpointId, long nowNanos) {
        Member member = members.get(endpointId);
        if (member == null) {
            return null;
        }
        double weight = 1;
        for (SlowStart ramp : slowStarts.get()) {
            if (ramp.endpointId().equals(endpointId)) {
                weight = ramp.weight(nowNanos);
            }
        }
        synchronized (member.pool) {
            return new EndpointHealth(member.id, member.pool.name, member.ejected, member.cause,
                    member.ejected ? member.ejectedUntilNanos : Long.MIN_VALUE, member.awaitingProbe,
                    decayedEjections(member, nowNanos), member.ejected ? 0 : weight,
                    member.window.requests(nowNanos), member.window.failures(nowNanos),
                    member.window.meanLatencyNanos(nowNanos));
        }
    }

    /** {@link #health} of every endpoint tracked, by endpoint id. */
    public List<EndpointHealth> healthOfAll(long nowNanos) {
        return members.keySet().stream().sorted().map(id -> health(id, nowNanos)).filter(Objects::nonNull).toList();
    }

    /** Ejects the endpoints of {@code pool} whose mean latency is far above the pool's median. Pool locked. */
    private void ejectLatencyOutliers(Pool pool, long nowNanos) {
        List<Member> sampled = new ArrayList<>();
        for (Member member : pool.members) {
            if (!member.ejected && member.window.latencySamples(nowNanos) >= latencyMinSamples) {
                sampled.add(member);
            }
        }
        if (sampled.size() < latencyMinEndpoints) {
            return;
        }
        double[] means = sampled.stream().mapToDouble(member -> member.window.meanLatencyNanos(nowNanos)).toArray();
        double[] sorted = means.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        double median = sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
        for (int i = 0; i < means.length; i++) {
            if (means[i] > latencyFactor * median) {
                tryEject(sampled.get(i), EjectionCause.LATENCY, false, nowNanos);
            }
        }
    }

    /** Ejects {@code member} unless its pool already has its share ejected. Pool locked. */
    private void tryEject(Member member, EjectionCause cause, boolean awaitingProbe, long nowNanos) {
        Pool pool = member.pool;
        int allowed = (int) Math.floor(pool.members.size() * maxEjectionShare + 1e-9);
        if (pool.ejected >= allowed) {
            return;
        }
        member.ejections = decayedEjections(member, nowNanos) + 1;
        member.ejected = true;
        member.cause = cause;
        member.awaitingProbe = awaitingProbe;
        member.ejectedUntilNanos = nowNanos + backoffNanos(member.ejections);
        member.consecutiveFailures = 0;
        pool.ejected++;
        endSlowStart(member.id);
        listener.accept(new HealthEvent.Ejected(member.id, pool.name, nowNanos, cause, member.ejections,
                member.ejectedUntilNanos));
    }

    /** Ends {@code member}'s ejection and starts its slow start. Pool locked. */
    private void readmit(Member member, boolean byProbe, long nowNanos) {
        member.ejected = false;
        member.cause = null;
        member.awaitingProbe = false;
        member.consecutiveFailures = 0;
        member.consecutiveProbeFailures = 0;
        member.window.clear();
        member.readmittedAtNanos = nowNanos;
        member.pool.ejected--;
        SlowStart ramp = new SlowStart(member.id, nowNanos, slowStartNanos);
        slowStarts.updateAndGet(current -> {
            List<SlowStart> next = new ArrayList<>(current.size() + 1);
            for (SlowStart other : current) {
                if (!other.endpointId().equals(member.id)) {
                    next.add(other);
                }
            }
            next.add(ramp);
            return List.copyOf(next);
        });
        listener.accept(new HealthEvent.Readmitted(member.id, member.pool.name, nowNanos, byProbe));
    }

    private void endSlowStart(String endpointId) {
        if (slowStarts.get().stream().anyMatch(ramp -> ramp.endpointId().equals(endpointId))) {
            slowStarts.updateAndGet(current ->
                    current.stream().filter(ramp -> !ramp.endpointId().equals(endpointId)).toList());
        }
    }

    /** Ejections in a row, less one for every {@code backoffDecay} healthy since the last re-admission. */
    private int decayedEjections(Member member, long nowNanos) {
        if (member.ejected || member.readmittedAtNanos == Long.MIN_VALUE) {
            return member.ejections;
        }
        long decays = Math.max(0, nowNanos - member.readmittedAtNanos) / backoffDecayNanos;
        return (int) Math.max(0, member.ejections - decays);
    }

    /** {@code baseEjection * 2^(ejections-1)}, at most {@code maxEjection}. */
    private long backoffNanos(int ejections) {
        int doublings = ejections - 1;
        if (doublings >= 62 || baseEjectionNanos > maxEjectionNanos >> doublings) {
            return maxEjectionNanos;
        }
        return baseEjectionNanos << doublings;
    }

    /** The endpoints of one pool and how many are ejected; its monitor guards them and their members. */
    private static final class Pool {
        final String name;
        final List<Member> members = new ArrayList<>();
        int ejected;

        Pool(String name) {
            this.name = name;
        }
    }

    /** One endpoint's state; guarded by its pool's monitor. */
    private static final class Member {
        final String id;
        final Pool pool;
        final OutcomeWindow window;
        boolean removed;
        int consecutiveFailures;
        int consecutiveProbeFailures;
        boolean ejected;
        EjectionCause cause;
        long ejectedUntilNanos;
        boolean awaitingProbe;
        int ejections;
        long readmittedAtNanos = Long.MIN_VALUE;

        Member(String id, Pool pool, OutcomeWindow window) {
            this.id = id;
            this.pool = pool;
            this.window = window;
        }
    }

    /**
     * Configures an {@link OutlierDetector}. The defaults suit a pool of a few to a few hundred
     * inference servers: eject after 5 failures in a row, a 25 % error rate over 20+ requests in
     * 10 s, or a mean latency 3 times the pool's median; 5 s backoff doubling up to 60 s; never more
     * than half a pool ejected; a 10 s slow start.
     */
    public static final class Builder {
        private int consecutiveFailures = 5;
        private double errorRate = 0.25;
        private int errorRateMinRequests = 20;
        private Duration window = Duration.ofSeconds(10);
        private double latencyFactor = 3.0;
        private int latencyMinSamples = 10;
        private int latencyMinEndpoints = 3;
        private Duration baseEjection = Duration.ofSeconds(5);
        private Duration maxEjection = Duration.ofSeconds(60);
        private Duration backoffDecay = Duration.ofSeconds(60);
        private double maxEjectionShare = 0.5;
        private Duration slowStart = Duration.ofSeconds(10);
        private int probeFailures = 2;
        private Consumer<HealthEvent> listener = event -> { };

        private Builder() {
        }

        /** Failures in a row that eject; default 5. */
        public Builder consecutiveFailures(int consecutiveFailures) {
            this.consecutiveFailures = atLeastOne("consecutiveFailures", consecutiveFailures);
            return this;
        }

        /** Share of failed requests in the window that ejects, (0, 1]; default 0.25. */
        public Builder errorRate(double errorRate) {
            if (!(errorRate > 0 && errorRate <= 1)) {
                throw new IllegalArgumentException("errorRate: " + errorRate + " (expected: > 0 and <= 1)");
            }
            this.errorRate = errorRate;
            return this;
        }

        /** Requests the window must hold before its error rate counts; default 20. */
        public Builder errorRateMinRequests(int errorRateMinRequests) {
            this.errorRateMinRequests = atLeastOne("errorRateMinRequests", errorRateMinRequests);
            return this;
        }

        /** The sliding window of error rates and latency means; default 10 s. */
        public Builder window(Duration window) {
            this.window = positive("window", window);
            return this;
        }

        /** How many times the pool's median latency ejects, {@code > 1}; default 3. */
        public Builder latencyFactor(double latencyFactor) {
            if (!(latencyFactor > 1) || Double.isInfinite(latencyFactor)) {
                throw new IllegalArgumentException("latencyFactor: " + latencyFactor + " (expected: a finite number > 1)");
            }
            this.latencyFactor = latencyFactor;
            return this;
        }

        /** Latency samples an endpoint's window needs to take part in the comparison; default 10. */
        public Builder latencyMinSamples(int latencyMinSamples) {
            this.latencyMinSamples = atLeastOne("latencyMinSamples", latencyMinSamples);
            return this;
        }

        /** Endpoints of a pool with enough samples for its median to count, {@code >= 2}; default 3. */
        public Builder latencyMinEndpoints(int latencyMinEndpoints) {
            if (latencyMinEndpoints < 2) {
                throw new IllegalArgumentException("latencyMinEndpoints: " + latencyMinEndpoints + " (expected: >= 2)");
            }
            this.latencyMinEndpoints = latencyMinEndpoints;
            return this;
        }

        /** Length of a first ejection; default 5 s. */
        public Builder baseEjection(Duration baseEjection) {
            this.baseEjection = positive("baseEjection", baseEjection);
            return this;
        }

        /** Longest ejection backoff; default 60 s. */
        public Builder maxEjection(Duration maxEjection) {
            this.maxEjection = positive("maxEjection", maxEjection);
            return this;
        }

        /** Healthy time after which the backoff steps down by one doubling; default 60 s. */
        public Builder backoffDecay(Duration backoffDecay) {
            this.backoffDecay = positive("backoffDecay", backoffDecay);
            return this;
        }

        /** Largest share of a pool ejected at once, [0, 1], rounded down; default 0.5. */
        public Builder maxEjectionShare(double maxEjectionShare) {
            if (!(maxEjectionShare >= 0 && maxEjectionShare <= 1)) {
                throw new IllegalArgumentException("maxEjectionShare: " + maxEjectionShare + " (expected: 0-1)");
            }
            this.maxEjectionShare = maxEjectionShare;
            return this;
        }

        /** How long a re-admitted endpoint's weight takes to ramp from 0 to 1; default 10 s. */
        public Builder slowStart(Duration slowStart) {
            this.slowStart = positive("slowStart", slowStart);
            return this;
        }

        /** Failed probes in a row that eject; default 2. */
        public Builder probeFailures(int probeFailures) {
            this.probeFailures = atLeastOne("probeFailures", probeFailures);
            return this;
        }

        /** Receives every ejection and re-admission; see the class comment for its constraints. */
        public Builder listener(Consumer<HealthEvent> listener) {
            this.listener = Objects.requireNonNull(listener, "listener");
            return this;
        }

        public OutlierDetector build() {
            if (maxEjection.compareTo(baseEjection) < 0) {
                throw new IllegalArgumentException("maxEjection: " + maxEjection
                        + " (expected: >= baseEjection, " + baseEjection + ")");
            }
            return new OutlierDetector(this);
        }

        private static int atLeastOne(String name, int value) {
            if (value < 1) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: >= 1)");
            }
            return value;
        }

        private static Duration positive(String name, Duration value) {
            Objects.requireNonNull(value, name);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + ": " + value + " (expected: > 0)");
            }
            return value;
        }
    }
}
