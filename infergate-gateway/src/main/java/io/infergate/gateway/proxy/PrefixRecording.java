package io.infergate.gateway.proxy;

import io.infergate.core.schedule.PrefixIndex;
import io.infergate.gateway.event.AttemptObserver;
import io.infergate.gateway.event.ExchangeObserver;
import io.infergate.gateway.event.SentAttempt;

/**
 * Feeds the scheduler's prefix index: each attempt sent records that its prompt's prefix went to its
 * endpoint, so that the prefix-affinity scorer sends the next request with that prefix where it is
 * likely cached. Listens only when the scheduler reads the index.
 */
public record PrefixRecording(PrefixIndex prefixes) implements ExchangeObserver {

    @Override
    public AttemptObserver attemptSent(SentAttempt attempt) {
        prefixes.record(attempt.request(), attempt.endpoint().id(), attempt.sentNanos());
        return AttemptObserver.NONE;
    }
}
