package io.infergate.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A raw TCP client for what well-behaved HTTP clients refuse to send: conflicting framing headers,
 * CR/LF in values, bytes one at a time. Reads whatever the server answers until it closes or goes quiet.
 */
final class RawHttp implements AutoCloseable {

    private final Socket socket;

    RawHttp(int port, Duration readTimeout) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout((int) readTimeout.toMillis());
    }

    RawHttp send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawHttp send(byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
        return this;
    }

    /** Tells the server nothing more will come (a FIN), leaving the connection open for its answer. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Everything the server sends until it closes the connection or is silent for the read timeout. */
    String readAll() throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                received.write(buffer, 0, n);
            }
        } catch (SocketTimeoutException quiet) {
            // the server said all it had to say but kept the connection open
        } catch (IOException reset) {
            // a reset after the answer: what was read counts
        }
        return received.toString(StandardCharsets.ISO_8859_1);
    }

    /**
     * What the server sends up to and including the first {@code marker}; fails when the server closes
     * or goes quiet for the read timeout before it.
     */
    String readUntil(String marker) throws IOException {
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[8192];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            received.write(buffer, 0, n);
            if (received.toString(StandardCharsets.ISO_8859_1).contains(marker)) {
                return received.toString(StandardCharsets.ISO_8859_1);
            }
        }
        throw new IOException("connection closed before '" + marker + "'; received: "
                + received.toString(StandardCharsets.ISO_8859_1));
    }

    /** True when the server has closed the connection: a read returns end of stream or fails. */
    boolean closedByServer() {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }

    /** Sends {@code text} one byte at a time, {@code gap} apart; stops early when the server closes. */
    boolean trickle(String text, Duration gap) throws InterruptedException {
        try {
            OutputStream out = socket.getOutputStream();
            for (byte b : text.getBytes(StandardCharsets.ISO_8859_1)) {
                out.write(b);
                out.flush();
                Thread.sleep(gap.toMillis());
            }
            return true;
        } catch (IOException closed) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
