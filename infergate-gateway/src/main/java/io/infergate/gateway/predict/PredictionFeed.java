package io.infergate.gateway.predict;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.predict.Dispatch;
import io.infergate.core.predict.LatencyPredictor;
import io.infergate.core.predict.Prediction;
import io.infergate.gateway.event.AttemptObserver;
import io.infergate.gateway.event.ExchangeObserver;
import io.infergate.gateway.event.SentAttempt;
import io.infergate.gateway.observe.GatewayMetrics;
import io.infergate.gateway.observe.GatewayMetrics.Predicted;

import java.util.Objects;

/**
 * Feeds the latency predictor from the request path: each attempt sent joins its endpoint's backlog
 * ({@link LatencyPredictor#sent}); a stream's first token and later tokens and an answer's length teach
 * the endpoint's speeds ({@link Dispatch}); an attempt that ends without an answer leaves the backlog
 * and teaches nothing. It also records how far off the predictions made at sending were: time to first
 * token for streams, and end-to-end time for every answer, predicted for the output length the answer
 * turned out to have (a request's {@code max_tokens} bounds its answer; it does not say its length).
 *
 * <pre>{@code
 * ExchangeObserver feed = new PredictionFeed(predictor, metrics);
 * }</pre>
 */
public final class PredictionFeed implements ExchangeObserver {

    private final LatencyPredictor predictor;
    private final GatewayMetrics metrics;

    public PredictionFeed(LatencyPredictor predictor, GatewayMetrics metrics) {
        this.predictor = Objects.requireNonNull(predictor, "predictor");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    @Override
    public AttemptObserver attemptSent(SentAttempt attempt) {
        Dispatch dispatch = predictor.sent(attempt.request(), attempt.endpoint(), attempt.load(), attempt.inFlight(),
                attempt.sentNanos());
        return new Observed(dispatch, attempt.endpoint());
    }

    /** 100 × |predicted - observed| / observed. */
    static double percentError(long predictedNanos, long observedNanos) {
        return 100.0 * Math.abs(predictedNanos - observedNanos) / Math.max(1, observedNanos);
    }

    /** One attempt's observations, told to its dispatch. */
    private final class Observed implements AttemptObserver {
        private final Dispatch dispatch;
        private final Endpoint endpoint;

        Observed(Dispatch dispatch, Endpoint endpoint) {
            this.dispatch = dispatch;
            this.endpoint = endpoint;
        }

        @Override
        public void firstToken(long nowNanos) {
            metrics.predictionError(Predicted.TTFT, endpoint).record(percentError(
                    dispatch.prediction().timeToFirstTokenNanos(), nowNanos - dispatch.sentAtNanos()));
            dispatch.firstToken(nowNanos);
        }

        @Override
        public void tokens(int generated, long nowNanos) {
            dispatch.tokens(generated, nowNanos);
        }

        @Override
        public void answered(int outputTokens, long nowNanos) {
            Prediction predicted = dispatch.prediction();
            long endToEnd = predicted.timeToFirstTokenNanos() + (Math.max(1, outputTokens) - 1L) * predicted.stepNanos();
            metrics.predictionError(Predicted.END_TO_END, endpoint)
                    .record(percentError(endToEnd, nowNanos - dispatch.sentAtNanos()));
            dispatch.finished(outputTokens, nowNanos);
        }

        @Override
        public void ended(long nowNanos) {
            dispatch.abandoned();
        }
    }
}
