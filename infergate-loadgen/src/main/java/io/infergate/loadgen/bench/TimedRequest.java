package io.infergate.loadgen.bench;

import java.util.List;
import java.util.OptionalDouble;

/**
 * One measured request of a bench run with phases ({@code faults}, {@code attack}): when it was meant to
 * leave, from the start of the measured run, how long it took (to fail, when it failed), and whether it
 * was answered in full.
 *
 * <pre>{@code
 * OptionalDouble p99 = TimedRequest.percentileMs(requests, 0, faultAt, 0.99);
 * }</pre>
 */
public record TimedRequest(long sentNanos, long latencyNanos, boolean ok) {

    /** The {@code quantile} of the latencies of the requests sent in {@code [from, to)}; empty when none was. */
    public static OptionalDouble percentileMs(List<TimedRequest> requests, long from, long to, double quantile) {
        long[] latencies = sentBetween(requests, from, to).stream().mapToLong(TimedRequest::latencyNanos).sorted().toArray();
        return latencies.length == 0 ? OptionalDouble.empty()
                : OptionalDouble.of(latencies[Math.max(0, (int) Math.ceil(latencies.length * quantile) - 1)] / 1e6);
    }

    /** The requests sent in {@code [from, to)}. */
    public static List<TimedRequest> sentBetween(List<TimedRequest> requests, long from, long to) {
        return requests.stream().filter(r -> r.sentNanos() >= from && r.sentNanos() < to).toList();
    }
}
