package io.infergate.gateway.event;

/**
 * Hears one attempt after it was sent, on the request's event loop. For a token stream: its first
 * token, then the tokens so far as chunks arrive, then the answer's length; for a whole answer only
 * its length. {@link #ended} comes last, whatever happened: after {@link #answered}, or instead of it
 * when the attempt failed, lost a hedging race, was cut or was abandoned by the client.
 */
public interface AttemptObserver {

    /** Hears nothing. */
    AttemptObserver NONE = new AttemptObserver() {
    };

    /** A stream's first token (its first event) reached the gateway at {@code nowNanos}. */
    default void firstToken(long nowNanos) {
    }

    /** A stream has delivered {@code generated} tokens (events), the first included, by {@code nowNanos}. */
    default void tokens(int generated, long nowNanos) {
    }

    /** The answer ended at {@code nowNanos} with {@code outputTokens} output tokens, from its usage or its events. */
    default void answered(int outputTokens, long nowNanos) {
    }

    /** The attempt is over at {@code nowNanos}; nothing more comes. Called once. */
    default void ended(long nowNanos) {
    }
}
