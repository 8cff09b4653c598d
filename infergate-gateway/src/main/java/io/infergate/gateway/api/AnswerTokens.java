package io.infergate.gateway.api;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * Counts an OpenAI-compatible answer's tokens as it streams by, without copying it: the events of a
 * token stream ({@code data: {...}}, one token each for OpenAI-compatible servers; {@code data: [DONE]}
 * is not one) and the {@code prompt_tokens}, {@code completion_tokens} and {@code total_tokens} of its
 * {@code usage} object, which a whole answer carries and a stream carries when asked with
 * {@code stream_options.include_usage}. Every pattern is matched byte by byte, so it may span chunks;
 * of a field seen several times, the last value counts.
 *
 * <pre>{@code
 * AnswerTokens tokens = new AnswerTokens();
 * tokens.feed(chunk);  ...
 * int output = tokens.outputTokens();                            // usage when seen, else the events, else -1
 * long used = tokens.totalTokens().orElse(promptEstimate + tokens.events());
 * }</pre>
 */
public final class AnswerTokens {

    private static final byte[] EVENT = "data:".getBytes(StandardCharsets.US_ASCII);

    private final NumberField prompt = new NumberField("\"prompt_tokens\"");
    private final NumberField completion = new NumberField("\"completion_tokens\"");
    private final NumberField total = new NumberField("\"total_tokens\"");
    private int events;
    /** Bytes of {@link #EVENT} matched so far; {@code EVENT.length} while its value's first byte is awaited. */
    private int eventMatch;

    /** Reads {@code chunk}, which comes right after the previous one. */
    public void feed(Buffer chunk) {
        int length = chunk.length();
        for (int i = 0; i < length; i++) {
            byte b = chunk.getByte(i);
            matchEvent(b);
            prompt.match(b);
            completion.match(b);
            total.match(b);
        }
    }

    /** Token-stream events seen so far, {@code data: [DONE]} excluded: about one per token. */
    public int events() {
        return events;
    }

    /** The answer's output tokens: its usage's {@code completion_tokens} when seen, else its events when any, else -1. */
    public int outputTokens() {
        long used = completion.value();
        return used >= 0 ? (int) used : events > 0 ? events : -1;
    }

    /** The usage's {@code total_tokens}, or its prompt plus completion tokens, when a usage was seen. */
    public OptionalLong totalTokens() {
        if (total.value() >= 0) {
            return OptionalLong.of(total.value());
        }
        return completion.value() >= 0 ? OptionalLong.of(Math.max(0, prompt.value()) + completion.value())
                : OptionalLong.empty();
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

    /** One {@code "name": N} field: the quoted name, then blanks, a colon, blanks and the digits of N. */
    private static final class NumberField {
        private final byte[] key;
        /** Bytes of {@link #key} matched so far; past it, the state of reading its number. */
        private int match;
        private long number;
        private long value = -1;

        NumberField(String quotedName) {
            this.key = quotedName.getBytes(StandardCharsets.US_ASCII);
        }

        /** The last value read, or -1 when none was. */
        long value() {
            return value;
        }

        void match(byte b) {
            int length = key.length;
            if (match < length) {
                match = b == key[match] ? match + 1 : b == key[0] ? 1 : 0;
                return;
            }
            boolean blank = b == ' ' || b == '\n' || b == '\r' || b == '\t';
            if (match == length) {                       // before the colon
                match = b == ':' ? length + 1 : blank ? length : 0;
            } else if (match == length + 1) {            // before the number
                if (b >= '0' && b <= '9') {
                    number = b - '0';
                    match = length + 2;
                } else if (!blank) {
                    match = 0;
                }
            } else if (b >= '0' && b <= '9') {           // in the number
                number = number > Integer.MAX_VALUE ? number : number * 10 + (b - '0');
            } else {
                value = number;
                match = b == key[0] ? 1 : 0;
            }
        }
    }
}
