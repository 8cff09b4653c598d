package io.infergate.emulator;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the emulator counts about requests, whatever dialect its metrics page speaks: time to first
 * token and end-to-end latency (wall clock, as clients see them) in histograms with the dialect's own
 * buckets, and finished requests by reason ({@code stop}, {@code length}, {@code abort}). Used from the
 * server's event loop only.
 */
final class RequestMetrics {

    static final String ABORT = "abort";
    /** Every finish reason, in the order the pages list them. */
    static final List<String> REASONS = List.of("stop", "length", ABORT);

    private final LatencyHistogram timeToFirstToken;
    private final LatencyHistogram endToEnd;
    private final Map<String, Long> finishedByReason = new HashMap<>();

    RequestMetrics(double[] timeToFirstTokenBuckets, double[] endToEndBuckets) {
        this.timeToFirstToken = new LatencyHistogram(timeToFirstTokenBuckets);
        this.endToEnd = new LatencyHistogram(endToEndBuckets);
        REASONS.forEach(reason -> finishedByReason.put(reason, 0L));
    }

    void firstToken(long nanosSinceArrival) {
        timeToFirstToken.record(nanosSinceArrival / 1e9);
    }

    /** A request left the engine; {@code reason} is {@code stop}, {@code length} or {@code abort}. */
    void finished(long nanosSinceArrival, String reason) {
        endToEnd.record(nanosSinceArrival / 1e9);
        finishedByReason.merge(reason, 1L, Long::sum);
    }

    /** A request was dropped before it finished, e.g. because its client went away. */
    void aborted() {
        finishedByReason.merge(ABORT, 1L, Long::sum);
    }

    LatencyHistogram timeToFirstToken() {
        return timeToFirstToken;
    }

    /** Latency of the requests that ran to their end (aborted ones are not in it). */
    LatencyHistogram endToEnd() {
        return endToEnd;
    }

    long finished(String reason) {
        return finishedByReason.getOrDefault(reason, 0L);
    }
}
