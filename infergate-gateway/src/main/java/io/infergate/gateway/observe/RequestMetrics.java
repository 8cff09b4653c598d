package io.infergate.gateway.observe;

import io.infergate.gateway.event.EndpointPicked;
import io.infergate.gateway.event.ExchangeEnd;
import io.infergate.gateway.event.ExchangeObserver;
import io.infergate.gateway.event.SentAttempt;

import java.util.concurrent.TimeUnit;

/**
 * Counts what happens to each request in {@link GatewayMetrics}: how long each pick took, each failed
 * attempt by kind and endpoint, and each request's duration by model, endpoint and outcome.
 *
 * <pre>{@code
 * ExchangeObserver observer = ExchangeObserver.of(List.of(new RequestMetrics(metrics), pickLog));
 * }</pre>
 */
public record RequestMetrics(GatewayMetrics metrics) implements ExchangeObserver {

    @Override
    public void picked(EndpointPicked pick) {
        metrics.recordPick(pick.durationNanos());
    }

    @Override
    public void attemptFailed(SentAttempt attempt, String kind, long nowNanos) {
        metrics.proxyError(kind, attempt.endpoint().id());
    }

    @Override
    public void done(ExchangeEnd end) {
        metrics.requestDuration(end.model(), end.endpointId(), end.outcome())
                .record(end.durationNanos(), TimeUnit.NANOSECONDS);
    }
}
