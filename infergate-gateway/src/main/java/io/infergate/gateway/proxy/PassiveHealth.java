package io.infergate.gateway.proxy;

import io.infergate.core.health.OutlierDetector;
import io.infergate.gateway.event.ExchangeObserver;
import io.infergate.gateway.event.SentAttempt;

/**
 * Tells the outlier detector how each attempt went, as requests pass: a response head is a success of
 * its endpoint, with its time to first byte; a failed attempt (no head, or a response broken off) is a
 * failure. Attempts that lost a hedging race or were abandoned count as neither.
 */
public record PassiveHealth(OutlierDetector detector) implements ExchangeObserver {

    @Override
    public void firstByte(SentAttempt attempt, long nowNanos) {
        detector.onSuccess(attempt.endpoint().id(), nowNanos - attempt.sentNanos(), nowNanos);
    }

    @Override
    public void attemptFailed(SentAttempt attempt, String kind, long nowNanos) {
        detector.onFailure(attempt.endpoint().id(), nowNanos);
    }
}
