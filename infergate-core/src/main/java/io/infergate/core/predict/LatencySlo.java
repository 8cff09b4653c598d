package io.infergate.core.predict;

import java.time.Duration;

/**
 * The latency a priority class is promised: a bound on time to first token, on end-to-end time, or
 * both. An endpoint <em>meets</em> it for a request when its predictions are within every bound set.
 *
 * <pre>{@code
 * LatencySlo interactive = LatencySlo.of(Duration.ofMillis(300), null);   // TTFT only
 * }</pre>
 *
 * @param timeToFirstTokenNanos bound on predicted time to first token, or 0 when none
 * @param endToEndNanos         bound on predicted end-to-end time, or 0 when none
 */
public record LatencySlo(long timeToFirstTokenNanos, long endToEndNanos) {

    public LatencySlo {
        if (timeToFirstTokenNanos < 0 || endToEndNanos < 0 || timeToFirstTokenNanos == 0 && endToEndNanos == 0) {
            throw new IllegalArgumentException("slo: time to first token " + timeToFirstTokenNanos + " ns, end to end "
                    + endToEndNanos + " ns (expected: >= 0 each, at least one > 0)");
        }
    }

    /** An objective from durations; {@code null} leaves that bound out. */
    public static LatencySlo of(Duration timeToFirstToken, Duration endToEnd) {
        return new LatencySlo(timeToFirstToken == null ? 0 : timeToFirstToken.toNanos(),
                endToEnd == null ? 0 : endToEnd.toNanos());
    }

    /** Whether {@code prediction} is within every bound this objective sets. */
    public boolean metBy(Prediction prediction) {
        return (timeToFirstTokenNanos == 0 || prediction.timeToFirstTokenNanos() <= timeToFirstTokenNanos)
                && (endToEndNanos == 0 || prediction.endToEndNanos() <= endToEndNanos);
    }
}
