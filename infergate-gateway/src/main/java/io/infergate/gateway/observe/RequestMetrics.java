package io.infergate.gateway.observe;

import io.infergate.core.retry.RetryDecision;
import io.infergate.gateway.event.EndpointPicked;
import io.infergate.gateway.event.ExchangeEnd;
import io.infergate.gateway.event.ExchangeObserver;
import io.infergate.gateway.event.HedgeEvent;
import io.infergate.gateway.event.Outcome;
import io.infergate.gateway.event.SentAttempt;

import java.util.concurrent.TimeUnit;

/**
 * Counts what happens to each request in {@link GatewayMetrics}: model fallbacks, how long each pick
 * took, each failed attempt by kind and endpoint, a stream's time to its first token, retries, give-ups
 * and hedges, and each request's duration by model, endpoint and outcome (and, for a client gone after
 * an attempt was sent, a {@code client_gone} proxy error of that attempt's endpoint).
 *
 * <pre>{@code
 * ExchangeObserver observer = ExchangeObserver.of(List.of(new RequestMetrics(metrics), pickLog));
 * }</pre>
 */
public record RequestMetrics(GatewayMetrics metrics) implements ExchangeObserver {

    @Override
    public void fellBack(String model, String servedModel) {
        metrics.modelFallback(model, servedModel);
    }

    @Override
    public void picked(EndpointPicked pick) {
        metrics.recordPick(pick.durationNanos());
    }

    @Override
    public void attemptFailed(SentAttempt attempt, String kind, long nowNanos) {
        metrics.proxyError(kind, attempt.endpoint().id());
    }

    @Override
    public void firstChunkRelayed(SentAttempt winner, long sinceArrivalNanos) {
        if (winner.request().stream()) {
            metrics.timeToFirstToken(winner.request().model(), winner.endpoint().id())
                    .record(sinceArrivalNanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public void retried(String kind) {
        metrics.retry(kind);
    }

    @Override
    public void gaveUp(RetryDecision.Reason reason) {
        metrics.retryGiveUp(reason.label());
    }

    @Override
    public void hedged(HedgeEvent event) {
        metrics.hedge(event.label());
    }

    @Override
    public void done(ExchangeEnd end) {
        if (end.outcome() == Outcome.CLIENT_GONE && !end.endpointId().equals(ExchangeEnd.NO_ENDPOINT)) {
            metrics.proxyError("client_gone", end.endpointId());
        }
        metrics.requestDuration(end.model(), end.endpointId(), end.outcome())
                .record(end.durationNanos(), TimeUnit.NANOSECONDS);
    }
}
