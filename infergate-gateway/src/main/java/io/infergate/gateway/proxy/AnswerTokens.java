package io.infergate.gateway.proxy;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;

/**
 * Counts an answer's output tokens as it streams by, without copying it: the events of a token stream
 * ({@code data: {...}}, one token each for OpenAI-compatible servers; {@code data: [DONE]} is not
 * one) and the {@code "completion_tokens": N} of the last {@code usage} object, which a whole answer
 * carries and a stream carries when asked with {@code stream_options.include_usage}. Both patterns
 * are matched byte by byte, so they may span chunks.
 *
 * <pre>{@code
 * AnswerTokens tokens = new AnswerTokens();
 * tokens.feed(chunk);  ...
 * int output = tokens.outputTokens();   // usage when seen, else the events, else -1
 * }</pre>
 */
final class AnswerTokens {

    private static final byte[] EVENT = "data:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] COMPLETION = "\"completion_tokens\"".getBytes(StandardCharsets.US_ASCII);

    private int events;
    private int completionTokens = -1;
    /** Bytes of {@link #EVENT} matched so far; {@code EVENT.length} while its value's first byte is awaited. */
    private int eventMatch;
    /** Bytes of {@link #COMPLETION} matched so far; past it, the state of reading its number. */
    private int completionMatch;
    private int number;

    /** Reads {@code chunk}, which comes right after the previous one. */
    void feed(Buffer chunk) {
        int length = chunk.length();
        for (int i = 0; i < length; i++) {
            byte b = chunk.getByte(i);
            matchEvent(b);
            matchCompletion(b);
        }
    }

    /** Token-stream events seen so far, {@code data: [DONE]} excluded: about one per token. */
    int events() {
        return events;
    }

    /** The answer's output tokens: its usage when one was seen, else its events when any, else -1. */
    int outputTokens() {
        return completionTokens >= 0 ? completionTokens : events > 0 ? events : -1;
    }

    private void matchEvent(byte b) {
        if (eventMatch == EVENT.length) {
            if (b == ' ') {
                return;
            }
            if (b == '{') {
                events++;
            }
            eventMatch = 0;
        }
        eventMatch = b == EVENT[eventMatch] ? eventMatch + 1 : b == EVENT[0] ? 1 : 0;
    }

    /** Matches {@code "completion_tokens"}, then blanks, a colon, blanks and the digits of its value. */
    private void matchCompletion(byte b) {
        int key = COMPLETION.length;
        if (completionMatch < key) {
            completionMatch = b == COMPLETION[completionMatch] ? completionMatch + 1 : b == COMPLETION[0] ? 1 : 0;
            return;
        }
        boolean blank = b == ' ' || b == '\n' || b == '\r' || b == '\t';
        if (completionMatch == key) {                       // before the colon
            completionMatch = b == ':' ? key + 1 : blank ? key : 0;
        } else if (completionMatch == key + 1) {            // before the number
            if (b >= '0' && b <= '9') {
                number = b - '0';
                completionMatch = key + 2;
            } else if (!blank) {
                completionMatch = 0;
            }
        } else if (b >= '0' && b <= '9') {                  // in the number
            number = number > 100_000_000 ? number : number * 10 + (b - '0');
        } else {
            completionTokens = number;
            completionMatch = b == COMPLETION[0] ? 1 : 0;
        }
    }
}
