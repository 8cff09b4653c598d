package io.infergate.loadgen.bench;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How well infergate's service-time model predicted during a run, from the gateway's own metrics read
 * before it stops: the {@code infergate_prediction_error_percent} histograms (100 × |predicted − observed|
 * / observed, one per endpoint and kind), summed over endpoints, with the median interpolated within its bucket as
 * Prometheus's {@code histogram_quantile} does.
 *
 * <pre>{@code
 * PredictionErrorFigures p = PredictionErrorFigures.parse(prometheusText);
 * p.ttft().ifPresent(e -> System.out.printf("TTFT: median error %.1f %%%n", 100 * e.median()));
 * }</pre>
 *
 * @param ttft     predicted against observed time to first token; empty when the gateway exported none
 *                 (a scheduler that does not predict, or a gateway without the metric)
 * @param endToEnd predicted against observed end-to-end time; empty likewise
 */
public record PredictionErrorFigures(Optional<RelativeError> ttft, Optional<RelativeError> endToEnd) {

    /** The gateway's histogram of prediction errors in percent, tagged {@code kind}, {@code endpoint} and {@code pool}. */
    static final String HISTOGRAM = "infergate_prediction_error_percent";
    /** The error the target is set at, and a bucket bound of the histogram: 15 %. */
    public static final double WITHIN = 0.15;

    public PredictionErrorFigures {
        Objects.requireNonNull(ttft, "ttft");
        Objects.requireNonNull(endToEnd, "endToEnd");
    }

    /**
     * The errors of one kind of prediction, over every endpoint.
     *
     * @param median      median relative error (0.1 is 10 %)
     * @param shareWithin share of predictions off by at most {@link #WITHIN}, 0 to 1
     * @param count       predictions measured
     */
    public record RelativeError(double median, double shareWithin, long count) {
    }

    /** Reads the figures from the gateway's Prometheus text exposition; both empty when it has no such histogram. */
    public static PredictionErrorFigures parse(String metrics) {
        Map<String, HistogramBuckets> byKind = HistogramBuckets.read(metrics, HISTOGRAM, "kind");
        return new PredictionErrorFigures(error(byKind.get("ttft")), error(byKind.get("end_to_end")));
    }

    private static Optional<RelativeError> error(HistogramBuckets buckets) {
        if (buckets == null || buckets.count() <= 0) {
            return Optional.empty();
        }
        return Optional.of(new RelativeError(buckets.quantile(0.5).orElseThrow() / 100,
                buckets.shareAtMost(100 * WITHIN).orElseThrow(), Math.round(buckets.count())));
    }
}
