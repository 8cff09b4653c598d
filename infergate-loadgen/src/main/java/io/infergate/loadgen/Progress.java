package io.infergate.loadgen;

/**
 * A load run's state, once a second.
 *
 * @param second      seconds since the start
 * @param sentPerSecond requests sent in the last interval, per second
 * @param inFlight    requests unanswered now
 * @param ok          requests answered in full so far
 * @param errors      failed requests so far
 * @param dropped     requests not sent so far because of the in-flight cap
 * @param p50Ms       median end-to-end latency so far, all classes
 * @param p99Ms       99th percentile so far
 */
public record Progress(double second, double sentPerSecond, long inFlight, long ok, long errors, long dropped,
                       double p50Ms, double p99Ms) {

    /** One line for a terminal, e.g. {@code [  12s] rate 49.8/s  in flight 23  ok 580  p50 120.3 ms  p99 450.1 ms  errors 0}. */
    public String line() {
        return String.format("[%4.0fs] rate %7.1f/s  in flight %5d  ok %8d  p50 %8.1f ms  p99 %8.1f ms  errors %d%s",
                second, sentPerSecond, inFlight, ok, p50Ms, p99Ms, errors, dropped > 0 ? "  dropped " + dropped : "");
    }
}
