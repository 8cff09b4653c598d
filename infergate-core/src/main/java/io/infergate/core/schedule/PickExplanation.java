package io.infergate.core.schedule;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Why a pick went the way it did: each endpoint that serves the model, with either the filter that
 * removed it or its score from every scorer and the weighted total.
 *
 * @param requestId  the request explained
 * @param model      the model requested
 * @param scheduler  the scheduler's name
 * @param chosenId   the endpoint picked, or {@code null} when none could be
 * @param candidates one entry per endpoint serving the model, best total first, filtered ones last
 */
public record PickExplanation(
        String requestId,
        String model,
        String scheduler,
        String chosenId,
        List<Candidate> candidates) {

    public PickExplanation {
        candidates = List.copyOf(candidates);
    }

    /**
     * One endpoint's part in the pick.
     *
     * @param endpointId the endpoint
     * @param filteredBy the name of the filter that removed it, or {@code null} if it passed all filters
     * @param reason     why it was filtered, or {@code null}
     * @param scores     scorer name to score (0..1), in scorer order, for the scorers that applied to the
     *                   request; then {@code slow-start} with the weight the total was multiplied by,
     *                   for an endpoint in slow start; empty when filtered
     * @param total      weighted mean of the scores (times the slow-start weight), 0..1;
     *                   {@link Double#NaN} when filtered
     * @param predicted  for a scheduler that predicts latency, the request's predicted figures on this
     *                   endpoint and the inputs behind them, by name (e.g. {@code ttft_ms}); else empty
     */
    public record Candidate(String endpointId, String filteredBy, String reason, Map<String, Double> scores,
                            double total, Map<String, Double> predicted) {
        public Candidate {
            scores = Collections.unmodifiableMap(new LinkedHashMap<>(scores));
            predicted = Collections.unmodifiableMap(new LinkedHashMap<>(predicted));
        }

        /** A candidate of a scheduler that predicts nothing. */
        public Candidate(String endpointId, String filteredBy, String reason, Map<String, Double> scores, double total) {
            this(endpointId, filteredBy, reason, scores, total, Map.of());
        }
    }
}
