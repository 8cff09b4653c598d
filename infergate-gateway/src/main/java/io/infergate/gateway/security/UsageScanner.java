package io.infergate.gateway.security;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * Finds the tokens a response used, as it streams by, keeping only its last {@link #TAIL_BYTES}: the
 * {@code usage} object OpenAI-compatible servers put at the end of a JSON answer, or in the last event
 * of a token stream asked with {@code stream_options.include_usage}. It also counts a stream's
 * {@code data:} events, each about one token, for streams that report no usage.
 *
 * <pre>{@code
 * UsageScanner usage = new UsageScanner();
 * usage.feed(chunk);  ...
 * long used = usage.totalTokens().orElse(promptEstimate + usage.events());
 * }</pre>
 */
public final class UsageScanner {

    static final int TAIL_BYTES = 8192;
    private static final JsonFactory JSON = new JsonFactory();
    private static final byte[] EVENT = "data:".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]".getBytes(StandardCharsets.US_ASCII);
    private static final String USAGE = "\"usage\"";

    private byte[] tail = new byte[0];
    private int events;

    public void feed(Buffer chunk) {
        byte[] bytes = chunk.getBytes();
        // Count events across the chunk boundary: the last EVENT.length - 1 bytes seen come first.
        int carry = Math.min(tail.length, EVENT.length - 1);
        byte[] joined = new byte[Math.min(TAIL_BYTES, tail.length + bytes.length)];
        int fromTail = joined.length - bytes.length;
        if (fromTail > 0) {
            System.arraycopy(tail, tail.length - fromTail, joined, 0, fromTail);
            System.arraycopy(bytes, 0, joined, fromTail, bytes.length);
        } else {
            System.arraycopy(bytes, bytes.length - joined.length, joined, 0, joined.length);
        }
        events += count(tail, tail.length - carry, bytes);
        tail = joined;
    }

    /** {@code data:} events seen, {@code data: [DONE]} excluded. */
    public int events() {
        return events - (indexOf(tail, DONE) >= 0 ? 1 : 0);
    }

    /** {@code usage.total_tokens} (or prompt plus completion tokens) of the last usage object seen, if any. */
    public OptionalLong totalTokens() {
        String text = new String(tail, StandardCharsets.UTF_8);
        for (int at = text.lastIndexOf(USAGE); at >= 0; at = text.lastIndexOf(USAGE, at - 1)) {
            OptionalLong total = parseUsage(text, at + USAGE.length());
            if (total.isPresent()) {
                return total;
            }
        }
        return OptionalLong.empty();
    }

    private static OptionalLong parseUsage(String text, int afterName) {
        int colon = text.indexOf(':', afterName);
        if (colon < 0 || !text.substring(afterName, colon).isBlank()) {
            return OptionalLong.empty();
        }
        try (JsonParser parser = JSON.createParser(text.substring(colon + 1))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return OptionalLong.empty();
            }
            long prompt = 0;
            long completion = 0;
            long total = -1;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                if (value == JsonToken.VALUE_NUMBER_INT) {
                    switch (field) {
                        case "prompt_tokens" -> prompt = parser.getLongValue();
                        case "completion_tokens" -> completion = parser.getLongValue();
                        case "total_tokens" -> total = parser.getLongValue();
                        default -> { }
                    }
                } else {
                    parser.skipChildren();
                }
            }
            return OptionalLong.of(total >= 0 ? total : prompt + completion);
        } catch (IOException malformed) {
            return OptionalLong.empty();
        }
    }

    /** Occurrences of {@link #EVENT} starting at or after {@code previous[from]} in previous + next. */
    private static int count(byte[] previous, int from, byte[] next) {
        int total = previous.length - from + next.length;
        int found = 0;
        for (int i = 0; i + EVENT.length <= total; i++) {
            boolean match = true;
            for (int j = 0; j < EVENT.length && match; j++) {
                int k = i + j;
                byte b = k < previous.length - from ? previous[from + k] : next[k - (previous.length - from)];
                match = b == EVENT[j];
            }
            if (match) {
                found++;
            }
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
