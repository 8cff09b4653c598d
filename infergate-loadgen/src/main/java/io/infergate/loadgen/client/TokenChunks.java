package io.infergate.loadgen.client;

/**
 * Reads OpenAI-style stream chunks without parsing them: whether a chunk carries generated text
 * ({@code choices[].delta.content} for chat, {@code choices[].text} for completions) and whether it is
 * the end marker. A role-only first chunk or an empty content is not a token.
 *
 * <pre>{@code
 * TokenChunks.hasContent("{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}");   // true
 * TokenChunks.hasContent("{\"choices\":[{\"delta\":{\"role\":\"assistant\"}}]}"); // false
 * }</pre>
 */
public final class TokenChunks {

    /** The data of the event that ends an OpenAI-style stream. */
    public static final String DONE = "[DONE]";

    private static final String[] CONTENT_KEYS = {"\"content\"", "\"text\""};

    private TokenChunks() {
    }

    public static boolean isDone(String data) {
        return DONE.equals(data.strip());
    }

    public static boolean hasContent(String data) {
        for (String key : CONTENT_KEYS) {
            for (int at = data.indexOf(key); at >= 0; at = data.indexOf(key, at + 1)) {
                if (nonEmptyStringFollows(data, at + key.length())) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code : "x...} follows at {@code i}, with optional spaces: a non-empty string value. */
    private static boolean nonEmptyStringFollows(String s, int i) {
        i = skipSpaces(s, i);
        if (i >= s.length() || s.charAt(i) != ':') {
            return false;
        }
        i = skipSpaces(s, i + 1);
        return i + 1 < s.length() && s.charAt(i) == '"' && s.charAt(i + 1) != '"';
    }

    private static int skipSpaces(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
