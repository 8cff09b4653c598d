package io.infergate.loadgen.report;

/**
 * One second of a run, all classes together.
 *
 * @param second        seconds since the start at the end of this interval
 * @param sent          requests sent in the interval
 * @param ok            requests answered in full in the interval
 * @param good          of those, the ones that met their SLO
 * @param errors        requests that failed in the interval
 * @param dropped       requests not sent because of the in-flight cap
 * @param inFlight      requests unanswered at the end of the interval
 * @param latencyP50Ms  median end-to-end latency of the requests answered in the interval
 * @param latencyP99Ms  99th percentile of the same
 * @param ttftP50Ms     median time to first token in the interval
 * @param ttftP99Ms     99th percentile of the same
 */
public record TimelinePoint(
        double second,
        long sent,
        long ok,
        long good,
        long errors,
        long dropped,
        long inFlight,
        double latencyP50Ms,
        double latencyP99Ms,
        double ttftP50Ms,
        double ttftP99Ms) {
}
