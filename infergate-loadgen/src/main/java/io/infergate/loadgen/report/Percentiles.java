package io.infergate.loadgen.report;

import org.HdrHistogram.Histogram;

/**
 * A latency distribution summed up, in milliseconds. All zero when nothing was recorded.
 *
 * <pre>{@code
 * Percentiles ttft = Percentiles.ofMicros(histogram);
 * double p99 = ttft.p99Ms();
 * }</pre>
 */
public record Percentiles(long count, double meanMs, double p50Ms, double p90Ms, double p99Ms, double p999Ms,
                          double maxMs) {

    public static final Percentiles EMPTY = new Percentiles(0, 0, 0, 0, 0, 0, 0);

    /** Summarises a histogram of microseconds. */
    public static Percentiles ofMicros(Histogram micros) {
        if (micros.getTotalCount() == 0) {
            return EMPTY;
        }
        return new Percentiles(
                micros.getTotalCount(),
                round(micros.getMean() / 1000),
                ms(micros, 50),
                ms(micros, 90),
                ms(micros, 99),
                ms(micros, 99.9),
                round(micros.getMaxValue() / 1000.0));
    }

    private static double ms(Histogram micros, double percentile) {
        return round(micros.getValueAtPercentile(percentile) / 1000.0);
    }

    /** Three decimals: microsecond resolution in milliseconds. */
    private static double round(double ms) {
        return Math.round(ms * 1000) / 1000.0;
    }
}
