package io.infergate.core.engine;

/**
 * Something that happened to one request inside an {@link EngineModel}, at a virtual time.
 *
 * <pre>{@code
 * for (EngineEvent event : engine.advanceTo(now)) {
 *     switch (event) {
 *         case EngineEvent.Token token -> stream(token.requestId(), token.index());
 *         case EngineEvent.Finished done -> complete(done.requestId(), done.outputTokens());
 *     }
 * }
 * }</pre>
 */
public sealed interface EngineEvent {

    /** The id {@link EngineModel#submit} returned for the request. */
    long requestId();

    /** Virtual time at which it happened, in the nanoseconds the model was advanced with. */
    long atNanos();

    /**
     * One output token is ready. Index 0 is the first token, produced when the prompt's prefill
     * completes; its time minus the arrival time is the time to first token.
     */
    record Token(long requestId, int index, long atNanos) implements EngineEvent {

        public boolean first() {
            return index == 0;
        }
    }

    /**
     * The request produced all its output tokens (or, with none asked for, finished its prefill) and
     * left the engine, freeing its KV-cache blocks. Follows the request's last {@link Token} at the same time.
     */
    record Finished(long requestId, long atNanos, int promptTokens, int outputTokens) implements EngineEvent {
    }
}
