package io.infergate.loadgen.client;

import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Splits a server-sent-event byte stream into the {@code data} of each event, whatever the chunking:
 * lines may be cut anywhere between network reads. Multi-line data is joined with {@code \n};
 * {@code event:}, {@code id:} and comment lines are ignored.
 *
 * <pre>{@code
 * SseParser parser = new SseParser(data -> System.out.println("event: " + data));
 * response.handler(parser::feed);
 * }</pre>
 */
public final class SseParser {

    private final Consumer<String> onData;
    private byte[] pending = new byte[512];
    private int pendingLength;
    private StringBuilder data;

    public SseParser(Consumer<String> onData) {
        this.onData = Objects.requireNonNull(onData, "onData");
    }

    public void feed(Buffer chunk) {
        byte[] bytes = chunk.getBytes();
        int lineStart = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                line(bytes, lineStart, i);
                lineStart = i + 1;
            }
        }
        append(bytes, lineStart, bytes.length);
    }

    private void line(byte[] bytes, int from, int to) {
        String line;
        if (pendingLength > 0) {
            append(bytes, from, to);
            line = decode(pending, 0, pendingLength);
            pendingLength = 0;
        } else {
            line = decode(bytes, from, to);
        }
        if (line.isEmpty()) {
            if (data != null) {
                onData.accept(data.toString());
                data = null;
            }
        } else if (line.startsWith("data:")) {
            String value = line.startsWith("data: ") ? line.substring(6) : line.substring(5);
            if (data == null) {
                data = new StringBuilder(value);
            } else {
                data.append('\n').append(value);
            }
        }
    }

    private void append(byte[] bytes, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return;
        }
        if (pendingLength + n > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + n));
        }
        System.arraycopy(bytes, from, pending, pendingLength, n);
        pendingLength += n;
    }

    private static String decode(byte[] bytes, int from, int to) {
        int end = to > from && bytes[to - 1] == '\r' ? to - 1 : to;
        return new String(bytes, from, end - from, StandardCharsets.UTF_8);
    }
}
