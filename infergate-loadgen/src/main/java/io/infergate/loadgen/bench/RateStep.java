package io.infergate.loadgen.bench;

/**
 * One step of the search for a system's highest sustained rate.
 *
 * @param offeredRps    the rate the step sent at
 * @param okRps         answers per second of the sending window
 * @param latencyP99Ms  99th percentile of end-to-end latency
 * @param failed        requests that failed or were not sent (in-flight cap)
 * @param sustained     whether the step met the bar: at least 95 % answered, at most 1 % failed,
 *                      p99 within the limit
 */
public record RateStep(double offeredRps, double okRps, double latencyP99Ms, long failed, boolean sustained) {
}
