package io.infergate.loadgen.client;

import java.util.Objects;

/**
 * The timings of one request, in {@link io.infergate.core.time.Ticker} nanoseconds. Latencies are
 * measured from {@code intendedNanos}, the time the schedule meant the request to leave, so a late
 * send shows up as latency instead of vanishing (no coordinated omission).
 *
 * @param intendedNanos   when the schedule meant it to leave
 * @param sentNanos       when it was handed to the HTTP client
 * @param firstTokenNanos when the first content chunk arrived (for a non-streamed answer: when the
 *                        body was complete), or -1 when none did
 * @param endNanos        when the request ended, answered or failed
 * @param outcome         answer or failure
 */
public record Exchange(long intendedNanos, long sentNanos, long firstTokenNanos, long endNanos, Outcome outcome) {

    public Exchange {
        Objects.requireNonNull(outcome, "outcome");
    }

    /** Time to first token from the intended send time, or -1 when no token arrived. */
    public long ttftNanos() {
        return firstTokenNanos < 0 ? -1 : firstTokenNanos - intendedNanos;
    }

    /** End-to-end latency from the intended send time. */
    public long latencyNanos() {
        return endNanos - intendedNanos;
    }

    public boolean ok() {
        return outcome instanceof Outcome.Ok;
    }
}
