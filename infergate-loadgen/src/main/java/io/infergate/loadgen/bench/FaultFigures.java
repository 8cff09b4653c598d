package io.infergate.loadgen.bench;

import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;

/**
 * How a system came through a {@link FaultPlan}, from the latency of each measured request grouped by
 * the time it was meant to be sent (failed requests included, with the time they took to fail).
 *
 * <pre>{@code
 * FaultFigures f = FaultFigures.of(requests, plan, report.overall().errors());
 * boolean met = f.errors() == 0 && f.recoveryRatio() <= FaultFigures.RECOVERED_WITHIN;
 * }</pre>
 *
 * @param errors          requests that failed (errors and timeouts) over the whole measured run
 * @param p99BeforeMs     p99 latency of the requests sent before the faults
 * @param p99FirstMs      p99 of those sent in the {@link FaultPlan#FIRST_WINDOW} after the faults began
 * @param p99AfterMs      p99 of those sent after that window, to the end of the run
 * @param recoveryRatio   {@code p99AfterMs / p99BeforeMs}
 * @param recoverySeconds seconds from the faults to the first one-second window from which every
 *                        window's p99 stays within {@link #RECOVERED_WITHIN} of {@code p99BeforeMs};
 *                        empty when the last window still does not
 */
public record FaultFigures(long errors, double p99BeforeMs, double p99FirstMs, double p99AfterMs,
                           double recoveryRatio, OptionalDouble recoverySeconds) {

    /** p99 counts as recovered within this factor of its value before the faults. */
    public static final double RECOVERED_WITHIN = 1.5;

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    /**
     * The figures of {@code requests}, sent over a run of {@code runLength} that followed {@code plan}.
     *
     * @throws IllegalArgumentException when no request was sent before the faults or after the first window
     */
    public static FaultFigures of(List<TimedRequest> requests, FaultPlan plan, Duration runLength, long errors) {
        long fault = plan.faultAt().toNanos();
        long afterFirst = fault + FaultPlan.FIRST_WINDOW.toNanos();
        long end = runLength.toNanos();
        double before = p99Ms(requests, 0, fault, "before the faults");
        double first = p99Ms(requests, fault, afterFirst, "in the first window after the faults");
        double after = p99Ms(requests, afterFirst, Long.MAX_VALUE, "after the first window");
        // walk the whole one-second windows after the faults backwards, as long as they are recovered
        OptionalDouble recovered = OptionalDouble.empty();
        for (long k = (end - fault) / SECOND - 1; k >= 0; k--) {
            OptionalDouble p99 = p99Ms(requests, fault + k * SECOND, fault + (k + 1) * SECOND);
            if (p99.isPresent() && p99.getAsDouble() > RECOVERED_WITHIN * before) {
                break;
            }
            recovered = OptionalDouble.of(k);
        }
        return new FaultFigures(errors, before, first, after, after / before, recovered);
    }

    private static double p99Ms(List<TimedRequest> requests, long from, long to, String window) {
        return p99Ms(requests, from, to).orElseThrow(() ->
                new IllegalArgumentException("requests: none sent " + window + " (expected: some, to measure a p99)"));
    }

    /** The p99 latency of the requests sent in {@code [from, to)}; empty when none was. */
    private static OptionalDouble p99Ms(List<TimedRequest> requests, long from, long to) {
        return TimedRequest.percentileMs(requests, from, to, 0.99);
    }
}
