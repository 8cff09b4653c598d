package io.infergate.gateway;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersDecoder;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersEncoder;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A raw HTTP/2 client over TLS (ALPN {@code h2}) for what well-behaved clients never do: more streams than
 * the server allows, a flood of resets, a header list over the limit. It writes frames one by one
 * (RFC 9113 §4) and reads the server's frames as they come; only HPACK is Netty's.
 *
 * <pre>{@code
 * try (RawH2 h2 = RawH2.connect(sslContext, "127.0.0.1", port, Duration.ofSeconds(5))) {
 *     Map<Integer, Long> settings = h2.handshake();
 *     h2.headers(1, RawH2.request("GET", "/v1/models"), true);
 *     RawH2.Frame answer = h2.next(RawH2.HEADERS);
 * }
 * }</pre>
 */
final class RawH2 implements AutoCloseable {

    static final int DATA = 0x0;
    static final int HEADERS = 0x1;
    static final int RST_STREAM = 0x3;
    static final int SETTINGS = 0x4;
    static final int GOAWAY = 0x7;
    static final int SETTINGS_MAX_CONCURRENT_STREAMS = 0x3;
    static final int SETTINGS_MAX_HEADER_LIST_SIZE = 0x6;
    static final long REFUSED_STREAM = 0x7;
    static final long CANCEL = 0x8;
    static final long ENHANCE_YOUR_CALM = 0xb;

    private static final int END_STREAM = 0x1;
    private static final int ACK = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** One frame as received; {@code payload} without padding removed. */
    record Frame(int type, int flags, int streamId, byte[] payload) {
        /** The error code of a RST_STREAM or GOAWAY frame. */
        long errorCode() {
            ByteBuffer buffer = ByteBuffer.wrap(payload);
            return Integer.toUnsignedLong(buffer.getInt(type == GOAWAY ? 4 : 0));
        }
    }

    private final SSLSocket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final DefaultHttp2HeadersEncoder encoder =
            new DefaultHttp2HeadersEncoder(Http2HeadersEncoder.NEVER_SENSITIVE, true);
    private final DefaultHttp2HeadersDecoder decoder = new DefaultHttp2HeadersDecoder(false);

    private RawH2(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** A TLS connection from the default local address that negotiated {@code h2}. */
    static RawH2 connect(SSLContext context, int port, Duration readTimeout) throws IOException {
        return connect(context, InetAddress.getLoopbackAddress(), port, readTimeout);
    }

    /** A TLS connection from {@code localAddress} (any of 127.0.0.0/8 on Linux) that negotiated {@code h2}. */
    static RawH2 connect(SSLContext context, InetAddress localAddress, int port, Duration readTimeout)
            throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        socket.bind(new InetSocketAddress(localAddress, 0));
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) readTimeout.toMillis());
        socket.setSoTimeout((int) readTimeout.toMillis());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(new String[]{"h2"});
        socket.setSSLParameters(parameters);
        socket.startHandshake();
        if (!"h2".equals(socket.getApplicationProtocol())) {
            socket.close();
            throw new IOException("ALPN chose '" + socket.getApplicationProtocol() + "', expected h2");
        }
        return new RawH2(socket);
    }

    /** Headers of a request to this gateway. */
    static Http2Headers request(String method, String path) {
        Http2Headers headers = new DefaultHttp2Headers()
                .method(method).path(path).scheme("https").authority("127.0.0.1");
        if (method.equals("POST")) {
            headers.add("content-type", "application/json");
        }
        return headers;
    }

    /**
     * Sends the preface and empty SETTINGS, reads the server's SETTINGS and acknowledges them; returns
     * them by identifier.
     */
    Map<Integer, Long> handshake() throws IOException {
        out.write(PREFACE);
        writeFrame(SETTINGS, 0, 0, new byte[0]);
        Frame settings = next(SETTINGS);
        writeFrame(SETTINGS, ACK, 0, new byte[0]);
        Map<Integer, Long> values = new HashMap<>();
        ByteBuffer payload = ByteBuffer.wrap(settings.payload());
        while (payload.remaining() >= 6) {
            values.put(Short.toUnsignedInt(payload.getShort()), Integer.toUnsignedLong(payload.getInt()));
        }
        return values;
    }

    void headers(int streamId, Http2Headers headers, boolean endStream) throws IOException {
        ByteBuf block = Unpooled.buffer();
        byte[] bytes;
        try {
            encoder.encodeHeaders(streamId, headers, block);
            bytes = new byte[block.readableBytes()];
            block.readBytes(bytes);
        } catch (Http2Exception e) {
            throw new IOException(e);
        } finally {
            block.release();
        }
        writeFrame(HEADERS, END_HEADERS | (endStream ? END_STREAM : 0), streamId, bytes);
    }

    void data(int streamId, String body, boolean endStream) throws IOException {
        writeFrame(DATA, endStream ? END_STREAM : 0, streamId, body.getBytes(StandardCharsets.UTF_8));
    }

    void reset(int streamId, long errorCode) throws IOException {
        writeFrame(RST_STREAM, 0, streamId, ByteBuffer.allocate(4).putInt((int) errorCode).array());
    }

    /** The next frame of {@code type}, skipping others; fails if the server closes or is quiet first. */
    Frame next(int type) throws IOException {
        for (Optional<Frame> frame = read(); ; frame = read()) {
            Frame received = frame.orElseThrow(() -> new EOFException("connection closed before a frame of type "
                    + type));
            if (received.type() == type) {
                return received;
            }
        }
    }

    /** The next frame, or empty when the server closed the connection. */
    Optional<Frame> read() throws IOException {
        byte[] head = new byte[9];
        try {
            in.readFully(head);
        } catch (EOFException | SocketException closed) {
            return Optional.empty();
        }
        int length = (head[0] & 0xff) << 16 | (head[1] & 0xff) << 8 | head[2] & 0xff;
        byte[] payload = new byte[length];
        in.readFully(payload);
        int streamId = ByteBuffer.wrap(head, 5, 4).getInt() & 0x7fffffff;
        return Optional.of(new Frame(head[3] & 0xff, head[4] & 0xff, streamId, payload));
    }

    /** Reads and drops frames until the server closes the connection; fails if it is quiet for the read timeout. */
    void awaitClose() throws IOException {
        while (read().isPresent()) {
            // what came before the close
        }
    }

    /** The header block of a HEADERS frame the server sent, which fits in that frame (no CONTINUATION). */
    Http2Headers decode(Frame headers) throws Http2Exception {
        int padding = (headers.flags() & PADDED) != 0 ? headers.payload()[0] & 0xff : 0;
        int start = ((headers.flags() & PADDED) != 0 ? 1 : 0) + ((headers.flags() & PRIORITY) != 0 ? 5 : 0);
        ByteBuf block = Unpooled.wrappedBuffer(headers.payload(), start, headers.payload().length - start - padding);
        try {
            return decoder.decodeHeaders(headers.streamId(), block);
        } finally {
            block.release();
        }
    }

    private void writeFrame(int type, int flags, int streamId, byte[] payload) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(9 + payload.length);
        frame.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length)
                .put((byte) type).put((byte) flags).putInt(streamId).put(payload);
        out.write(frame.array());
        out.flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
