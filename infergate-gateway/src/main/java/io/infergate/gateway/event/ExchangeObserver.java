package io.infergate.gateway.event;

import java.util.ArrayList;
import java.util.List;

/**
 * Hears the requests the gateway proxies. Called on the request's event loop: it must be quick and
 * must not block.
 *
 * <pre>{@code
 * ExchangeObserver observer = ExchangeObserver.of(List.of(predictorFeed, accessLog));
 * AttemptObserver attempt = observer.attemptSent(new SentAttempt(request, endpoint, load, inFlight, now));
 * }</pre>
 */
public interface ExchangeObserver {

    /** Hears nothing; the proxy then does no work for observers. */
    ExchangeObserver NONE = new ExchangeObserver() {
    };

    /** An attempt was sent; the observer returned hears the rest of it ({@link AttemptObserver#NONE} to ignore it). */
    default AttemptObserver attemptSent(SentAttempt attempt) {
        return AttemptObserver.NONE;
    }

    /** All of {@code observers}, each hearing every event; {@link #NONE} when there are none. */
    static ExchangeObserver of(List<ExchangeObserver> observers) {
        List<ExchangeObserver> listening = observers.stream().filter(o -> o != NONE).toList();
        return switch (listening.size()) {
            case 0 -> NONE;
            case 1 -> listening.getFirst();
            default -> new Each(listening);
        };
    }

    /** Several exchange observers as one: each hears every attempt. */
    record Each(List<ExchangeObserver> observers) implements ExchangeObserver {
        public Each {
            observers = List.copyOf(observers);
        }

        @Override
        public AttemptObserver attemptSent(SentAttempt attempt) {
            List<AttemptObserver> heard = new ArrayList<>(observers.size());
            for (ExchangeObserver observer : observers) {
                AttemptObserver one = observer.attemptSent(attempt);
                if (one != AttemptObserver.NONE) {
                    heard.add(one);
                }
            }
            return heard.isEmpty() ? AttemptObserver.NONE : heard.size() == 1 ? heard.getFirst() : new AllOf(heard);
        }
    }

    /** Several attempt observers as one. */
    record AllOf(List<AttemptObserver> observers) implements AttemptObserver {
        public AllOf {
            observers = List.copyOf(observers);
        }

        @Override
        public void firstToken(long nowNanos) {
            observers.forEach(o -> o.firstToken(nowNanos));
        }

        @Override
        public void tokens(int generated, long nowNanos) {
            observers.forEach(o -> o.tokens(generated, nowNanos));
        }

        @Override
        public void answered(int outputTokens, long nowNanos) {
            observers.forEach(o -> o.answered(outputTokens, nowNanos));
        }

        @Override
        public void ended(long nowNanos) {
            observers.forEach(o -> o.ended(nowNanos));
        }
    }
}
