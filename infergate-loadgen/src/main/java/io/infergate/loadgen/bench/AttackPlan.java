package io.infergate.loadgen.bench;

import io.infergate.loadgen.attack.AttackJob;
import io.infergate.loadgen.attack.AttackReport;
import io.infergate.loadgen.attack.Attacker;

import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The phases of the {@code attack} scenario, the same for every system, played from the start of the
 * measured run while legitimate traffic flows: a quiet phase, then each attack in turn. An attack starts,
 * is given {@code rampUp} to build up (the idle and slow connections are opened at
 * {@link Attacker#CONNECTS_PER_SECOND}), is measured for {@code measured}, then stops; {@code pause}
 * separates it from the next, unmeasured, so that the server is done closing the last one's connections.
 * The attacker connects from {@code source}, not the legitimate clients' 127.0.0.1 when it can.
 *
 * <pre>{@code
 * AttackPlan plan = AttackPlan.quick();
 * try (AttackPlan.Running running = plan.start(URI.create("https://127.0.0.1:8443"), System.err)) {
 *     LoadGenerator.run(load.withDuration(plan.length()), progress);
 * }
 * }</pre>
 *
 * @param quiet             the measured phase without attack, first
 * @param rampUp            from each attack's start to its measured window
 * @param measured          each attack's measured window
 * @param pause             from each attack's end to the next one's start
 * @param idleConnections   connections {@code idle-connections} holds
 * @param resetConnections  connections the rapid-reset flood runs on
 * @param resetsPerSecond   streams opened and reset per second, over all of them
 * @param slowConnections   connections {@code slow-headers} trickles on
 * @param slowByteInterval  time between two bytes of a slow connection
 * @param source            the address the attacker connects from
 * @param limitNote         why a count is lower than the scenario's, when the open-file limit capped it
 */
public record AttackPlan(Duration quiet, Duration rampUp, Duration measured, Duration pause, int idleConnections,
                         int resetConnections, int resetsPerSecond, int slowConnections, Duration slowByteInterval,
                         String source, Optional<String> limitNote) {

    /** The phase without attack. */
    public static final String QUIET = "quiet";
    /** The attacks, in the order they run; each phase is named after its attack. */
    public enum Attack {
        IDLE_CONNECTIONS, RAPID_RESET, SLOW_HEADERS;

        /** The phase's name, e.g. {@code rapid-reset}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** The full run's sizes, before the open-file limit: those of issue 14. */
    static final int IDLE_FULL = 5000;
    static final int SLOW_FULL = 1000;

    public AttackPlan {
        for (Duration d : List.of(quiet, rampUp, measured, pause, slowByteInterval)) {
            if (!Objects.requireNonNull(d, "durations").isPositive()) {
                throw new IllegalArgumentException("attack plan: duration " + d + " (expected: > 0)");
            }
        }
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(limitNote, "limitNote");
    }

    /** The full plan: 30 s quiet, then each attack measured for 30 s after 10 s to build up; 5 000 idle, 1 000 slow. */
    public static AttackPlan full() {
        int idle = OpenFileLimit.proxyConnections(IDLE_FULL);
        int slow = OpenFileLimit.proxyConnections(SLOW_FULL);
        Optional<String> note = idle < IDLE_FULL || slow < SLOW_FULL
                ? Optional.of(String.format(Locale.ROOT, "the open-file limit here (%d) allows %d idle and %d slow "
                + "connections, not %d and %d", OpenFileLimit.hard(), idle, slow, IDLE_FULL, SLOW_FULL))
                : Optional.empty();
        return new AttackPlan(Duration.ofSeconds(30), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(5),
                idle, 10, 20_000, slow, Duration.ofSeconds(1), Attacker.sourceAddress(), note);
    }

    /** The CI smoke version: a few seconds per phase, 50 idle and 50 slow connections, 1 000 resets a second. */
    public static AttackPlan quick() {
        return new AttackPlan(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofMillis(500),
                50, 2, 1000, 50, Duration.ofMillis(200), Attacker.sourceAddress(), Optional.empty());
    }

    /**
     * One phase: its attack (none in {@code quiet}) runs in {@code [attackFrom, measureTo)}; traffic sent in
     * {@code [measureFrom, measureTo)} is measured.
     */
    public record Phase(Optional<Attack> attack, Duration attackFrom, Duration measureFrom, Duration measureTo) {

        /** {@code quiet} or the attack's label. */
        public String name() {
            return attack.map(Attack::label).orElse(QUIET);
        }
    }

    public List<Phase> phases() {
        List<Phase> phases = new ArrayList<>(List.of(new Phase(Optional.empty(), Duration.ZERO, Duration.ZERO, quiet)));
        Duration at = quiet.plus(pause);
        for (Attack attack : Attack.values()) {
            Duration from = at.plus(rampUp);
            phases.add(new Phase(Optional.of(attack), at, from, from.plus(measured)));
            at = from.plus(measured).plus(pause);
        }
        return phases;
    }

    /** From the start of the measured run to the end of the last phase. */
    public Duration length() {
        return phases().getLast().measureTo();
    }

    /** The attacker's sizes and address, in words, for the report. */
    public String describe() {
        return String.format(Locale.ROOT, "attacker from %s on one event loop: %d idle connections, %d streams/s "
                        + "opened and reset on %d connections, %d slow-header connections (a byte every %d ms)%s",
                source, idleConnections, resetsPerSecond, resetConnections, slowConnections, slowByteInterval.toMillis(),
                limitNote.map(n -> "; " + n).orElse(""));
    }

    /** Plays the attacks from now against {@code target}, logging each start and what it achieved. */
    public Running start(URI target, PrintStream log) {
        return new Running(this, target, log);
    }

    private AttackJob startAttack(Attacker attacker, Attack attack) {
        return switch (attack) {
            case IDLE_CONNECTIONS -> attacker.idleConnections(idleConnections);
            case RAPID_RESET -> attacker.rapidReset(resetConnections, resetsPerSecond);
            case SLOW_HEADERS -> attacker.slowHeaders(slowConnections, slowByteInterval);
        };
    }

    /** A plan being played; closing it stops the attack under way and the attacker. */
    public static final class Running implements AutoCloseable {
        private final Attacker attacker;
        private final ScheduledExecutorService timer;
        private final PrintStream log;
        private final AtomicReference<AttackJob> current = new AtomicReference<>();
        private final AtomicReference<String> currentName = new AtomicReference<>();
        private final Map<String, AttackReport> reports = new ConcurrentHashMap<>();

        private Running(AttackPlan plan, URI target, PrintStream log) {
            this.attacker = new Attacker(target, plan.source());
            this.log = log;
            this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "bench-attack");
                t.setDaemon(true);
                return t;
            });
            for (Phase phase : plan.phases()) {
                if (phase.attack().isEmpty()) {
                    continue;
                }
                timer.schedule(() -> {
                    log.printf(Locale.ROOT, "  attack at %.1f s: %s starts%n", seconds(phase.attackFrom()), phase.name());
                    currentName.set(phase.name());
                    current.set(plan.startAttack(attacker, phase.attack().get()));
                }, phase.attackFrom().toNanos(), TimeUnit.NANOSECONDS);
                timer.schedule(() -> stopCurrent(phase.measureTo()), phase.measureTo().toNanos(), TimeUnit.NANOSECONDS);
            }
        }

        /** What each attack that ran achieved, by phase name, in the order they ran. */
        public Map<String, AttackReport> reports() {
            Map<String, AttackReport> ordered = new LinkedHashMap<>();
            for (Attack attack : Attack.values()) {
                Optional.ofNullable(reports.get(attack.label())).ifPresent(r -> ordered.put(attack.label(), r));
            }
            return ordered;
        }

        @Override
        public void close() {
            timer.shutdownNow();
            try {
                timer.awaitTermination(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            stopCurrent(null);
            attacker.close();
        }

        private void stopCurrent(Duration at) {
            AttackJob job = current.getAndSet(null);
            if (job != null) {
                AttackReport report = job.stop();
                reports.put(currentName.get(), report);
                log.printf(Locale.ROOT, "  attack %s: %s%n", at == null ? "at the end" : String.format(Locale.ROOT,
                        "at %.1f s", seconds(at)), report.summary());
            }
        }

        private static double seconds(Duration d) {
            return d.toMillis() / 1000.0;
        }
    }
}
