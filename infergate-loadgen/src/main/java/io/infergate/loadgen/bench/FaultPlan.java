package io.infergate.loadgen.bench;

import io.infergate.emulator.FaultSettings;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The faults of the {@code faults} scenario, the same for every system: at {@code faultAt} the first
 * server stops listening, the second hangs (accepts requests and never answers) and the third fails a
 * share {@code errorRate} of its requests with a 500; at {@code returnAt} the first listens again. The
 * hang and the errors last to the end of the run. {@link #start} plays the plan from now against a
 * fleet; closing what it returns stops it and heals every server.
 *
 * <pre>{@code
 * FaultPlan plan = new FaultPlan(Duration.ofSeconds(10), Duration.ofSeconds(20), 0.3);
 * try (FaultPlan.Running running = plan.start(fleet, System.err)) {
 *     LoadGenerator.run(load, progress);
 * }
 * }</pre>
 *
 * @param faultAt   when, from the start of the measured run, the three faults begin
 * @param returnAt  when the dead server listens again
 * @param errorRate share of the third server's requests that fail
 */
public record FaultPlan(Duration faultAt, Duration returnAt, double errorRate) {

    /** Servers the plan needs: one dead, one hanging, one failing, and at least one healthy. */
    public static final int SERVERS = 4;
    /** The window right after the faults whose p99 is reported on its own; p99 must be back to normal after it. */
    public static final Duration FIRST_WINDOW = Duration.ofSeconds(5);

    public FaultPlan {
        Objects.requireNonNull(faultAt, "faultAt");
        Objects.requireNonNull(returnAt, "returnAt");
        if (!faultAt.isPositive() || returnAt.compareTo(faultAt) <= 0) {
            throw new IllegalArgumentException("faultAt: " + faultAt + ", returnAt: " + returnAt
                    + " (expected: 0 < faultAt < returnAt)");
        }
        if (!(errorRate > 0 && errorRate <= 1)) {
            throw new IllegalArgumentException("errorRate: " + errorRate + " (expected: > 0 and <= 1)");
        }
    }

    /** One change of one server's faults. */
    public record Step(Duration at, String memberId, FaultSettings faults, String what) {
    }

    /** The plan's changes, in time order, for a fleet's members. */
    public List<Step> steps(List<FleetMember> members) {
        if (members.size() < SERVERS) {
            throw new IllegalArgumentException("fleet: " + members.size() + " servers (expected: at least " + SERVERS + ")");
        }
        String dead = members.get(0).id();
        return List.of(
                new Step(faultAt, dead, FaultSettings.NONE.withRefuse(true), dead + " stops listening"),
                new Step(faultAt, members.get(1).id(), FaultSettings.NONE.withHang(true), members.get(1).id() + " hangs"),
                new Step(faultAt, members.get(2).id(), FaultSettings.NONE.withErrorRate(errorRate),
                        String.format(Locale.ROOT, "%s fails %.0f %% of its requests", members.get(2).id(), 100 * errorRate)),
                new Step(returnAt, dead, FaultSettings.NONE, dead + " listens again"));
    }

    /** Plays the steps from now against {@code fleet}, logging each. */
    public Running start(BenchFleet fleet, PrintStream log) {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-faults");
            t.setDaemon(true);
            return t;
        });
        for (Step step : steps(fleet.members())) {
            timer.schedule(() -> {
                fleet.setFaults(step.memberId(), step.faults());
                log.printf(Locale.ROOT, "  fault at %.1f s: %s%n", step.at().toMillis() / 1000.0, step.what());
            }, step.at().toNanos(), TimeUnit.NANOSECONDS);
        }
        return new Running(timer, fleet);
    }

    /** A plan being played; closing it cancels what is left of it and heals every server. */
    public static final class Running implements AutoCloseable {
        private final ScheduledExecutorService timer;
        private final BenchFleet fleet;

        private Running(ScheduledExecutorService timer, BenchFleet fleet) {
            this.timer = timer;
            this.fleet = fleet;
        }

        @Override
        public void close() {
            timer.shutdownNow();
            try {
                timer.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            fleet.members().forEach(m -> fleet.setFaults(m.id(), FaultSettings.NONE));
        }
    }
}
