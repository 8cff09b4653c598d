package io.infergate.gateway.event;

import io.infergate.core.retry.RetryDecision;

import java.util.ArrayList;
import java.util.List;

/**
 * Hears the requests the gateway proxies, in this order: each attempt's pick, its sending, then either
 * the first byte of its response (for the attempt whose response is relayed) or its failure, then its
 * end; finally the request's end. Called on the request's event loop: it must be quick and must not
 * block. An observer overrides only the events it needs; the per-chunk events are on the
 * {@link AttemptObserver} it returns from {@link #attemptSent}, and only for the attempts it asks to hear.
 *
 * <pre>{@code
 * ExchangeObserver observer = ExchangeObserver.of(List.of(metrics, pickLog, passiveHealth, flowGate, predictorFeed));
 * AttemptObserver attempt = observer.attemptSent(new SentAttempt(request, endpoint, load, inFlight, now));
 * }</pre>
 */
public interface ExchangeObserver {

    /** Hears nothing. */
    ExchangeObserver NONE = new ExchangeObserver() {
    };

    /** The request goes to {@code servedModel}, a fallback of {@code model} (down or full). */
    default void fellBack(String model, String servedModel) {
    }

    /** The scheduler picked an endpoint for an attempt, or found none. */
    default void picked(EndpointPicked pick) {
    }

    /** An attempt was sent; the observer returned hears the rest of it ({@link AttemptObserver#NONE} to ignore it). */
    default AttemptObserver attemptSent(SentAttempt attempt) {
        return AttemptObserver.NONE;
    }

    /** The response head of {@code attempt} came at {@code nowNanos} (below 500), and its response is the one relayed. */
    default void firstByte(SentAttempt attempt, long nowNanos) {
    }

    /**
     * {@code attempt} failed at {@code nowNanos}: before its response head, or mid-response.
     *
     * @param kind the kind of proxy error it counts as, e.g. {@code connect}, {@code timeout}, {@code stream_cut}
     */
    default void attemptFailed(SentAttempt attempt, String kind, long nowNanos) {
    }

    /** {@code attempt} is over at {@code nowNanos}, whatever happened to it; its endpoint's room is given back. */
    default void attemptEnded(SentAttempt attempt, long nowNanos) {
    }

    /** The first chunk of {@code winner}'s response went to the client, {@code sinceArrivalNanos} after the request came. */
    default void firstChunkRelayed(SentAttempt winner, long sinceArrivalNanos) {
    }

    /** A failed attempt, of {@code kind} ({@link #attemptFailed}), is retried after its backoff. */
    default void retried(String kind) {
    }

    /** The retries are over for {@code reason}: the request ends with its last failure. */
    default void gaveUp(RetryDecision.Reason reason) {
    }

    /** Something happened in the request's hedging race. */
    default void hedged(HedgeEvent event) {
    }

    /** The request is over: answered, failed, turned away or abandoned by its client. */
    default void done(ExchangeEnd end) {
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
        public void picked(EndpointPicked pick) {
            for (ExchangeObserver observer : observers) {
                observer.picked(pick);
            }
        }

        @Override
        public void firstByte(SentAttempt attempt, long nowNanos) {
            for (ExchangeObserver observer : observers) {
                observer.firstByte(attempt, nowNanos);
            }
        }

        @Override
        public void attemptFailed(SentAttempt attempt, String kind, long nowNanos) {
            for (ExchangeObserver observer : observers) {
                observer.attemptFailed(attempt, kind, nowNanos);
            }
        }

        @Override
        public void attemptEnded(SentAttempt attempt, long nowNanos) {
            for (ExchangeObserver observer : observers) {
                observer.attemptEnded(attempt, nowNanos);
            }
        }

        @Override
        public void fellBack(String model, String servedModel) {
            for (ExchangeObserver observer : observers) {
                observer.fellBack(model, servedModel);
            }
        }

        @Override
        public void firstChunkRelayed(SentAttempt winner, long sinceArrivalNanos) {
            for (ExchangeObserver observer : observers) {
                observer.firstChunkRelayed(winner, sinceArrivalNanos);
            }
        }

        @Override
        public void retried(String kind) {
            for (ExchangeObserver observer : observers) {
                observer.retried(kind);
            }
        }

        @Override
        public void gaveUp(RetryDecision.Reason reason) {
            for (ExchangeObserver observer : observers) {
                observer.gaveUp(reason);
            }
        }

        @Override
        public void hedged(HedgeEvent event) {
            for (ExchangeObserver observer : observers) {
                observer.hedged(event);
            }
        }

        @Override
        public void done(ExchangeEnd end) {
            for (ExchangeObserver observer : observers) {
                observer.done(end);
            }
        }

        @Override
        public AttemptObserver attemptSent(SentAttempt attempt) {
            // No list unless two observers hear the attempt: most hear only the exchange's own events.
            AttemptObserver first = AttemptObserver.NONE;
            List<AttemptObserver> heard = null;
            for (ExchangeObserver observer : observers) {
                AttemptObserver one = observer.attemptSent(attempt);
                if (one == AttemptObserver.NONE) {
                    continue;
                }
                if (first == AttemptObserver.NONE) {
                    first = one;
                } else {
                    if (heard == null) {
                        heard = new ArrayList<>(observers.size());
                        heard.add(first);
                    }
                    heard.add(one);
                }
            }
            return heard == null ? first : new AllOf(heard);
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
