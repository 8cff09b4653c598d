package io.infergate.loadgen.bench;

import io.infergate.loadgen.attack.AttackReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a system's legitimate traffic fared in each phase of an {@link AttackPlan}, from the requests
 * meant to leave in the phase's measured window (failed ones included, with the time they took to fail),
 * next to what the attacker achieved in that phase.
 *
 * <pre>{@code
 * AttackFigures f = AttackFigures.of(requests, plan, running.reports());
 * f.phases().forEach(p -> System.out.println(p.name() + " p99 " + p.p99Ms() + " ms, " + p.errors() + " errors"));
 * }</pre>
 *
 * @param attacker the attacker's sizes and address, in words ({@link AttackPlan#describe})
 * @param phases   the quiet phase, then one per attack, in the order they ran
 */
public record AttackFigures(String attacker, List<Phase> phases) {

    /** The target: under each attack, p99 at most this multiple of the quiet phase's, and no legitimate error. */
    public static final double P99_WITHIN = 1.5;

    /**
     * One phase.
     *
     * @param name       {@code quiet} or the attack's name
     * @param requests   legitimate requests meant to leave in the measured window
     * @param ok         those answered in full
     * @param errors     those that failed (errors and timeouts)
     * @param p50Ms      their median latency; NaN when none was sent
     * @param p99Ms      their p99 latency; NaN when none was sent
     * @param p99VsQuiet {@code p99Ms} ÷ the quiet phase's p99
     * @param attacker   what the attacker achieved; empty in {@code quiet}
     */
    public record Phase(String name, long requests, long ok, long errors, double p50Ms, double p99Ms, double p99VsQuiet,
                        Optional<AttackReport> attacker) {
        public Phase {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(attacker, "attacker");
        }
    }

    public AttackFigures {
        Objects.requireNonNull(attacker, "attacker");
        phases = List.copyOf(phases);
    }

    public static AttackFigures of(List<TimedRequest> requests, AttackPlan plan, Map<String, AttackReport> reports) {
        List<Phase> phases = new ArrayList<>();
        double quietP99 = Double.NaN;
        for (AttackPlan.Phase phase : plan.phases()) {
            long from = phase.measureFrom().toNanos();
            long to = phase.measureTo().toNanos();
            List<TimedRequest> sent = TimedRequest.sentBetween(requests, from, to);
            long ok = sent.stream().filter(TimedRequest::ok).count();
            double p50 = TimedRequest.percentileMs(sent, from, to, 0.5).orElse(Double.NaN);
            double p99 = TimedRequest.percentileMs(sent, from, to, 0.99).orElse(Double.NaN);
            if (phase.attack().isEmpty()) {
                quietP99 = p99;
            }
            phases.add(new Phase(phase.name(), sent.size(), ok, sent.size() - ok, p50, p99, p99 / quietP99,
                    Optional.ofNullable(reports.get(phase.name()))));
        }
        return new AttackFigures(plan.describe(), phases);
    }

    public Optional<Phase> phase(String name) {
        return phases.stream().filter(p -> p.name().equals(name)).findFirst();
    }
}
