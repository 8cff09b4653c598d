package io.infergate.loadgen.attack;

import io.vertx.core.Context;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;

import java.util.Optional;

/**
 * Holds TCP connections open to the data port and never sends a byte on them, not even a TLS
 * handshake: each costs the server a socket and whatever it keeps per connection until it gives up on it.
 *
 * <pre>{@code
 * IdleConnections idle = attacker.idleConnections(5000);
 * ...
 * System.out.println(idle.stop().summary());
 * }</pre>
 */
public final class IdleConnections extends AttackJob {

    IdleConnections(Context context, NetClient client, SocketAddress target, int connections) {
        super("idle-connections", context, client, target, connections);
    }

    @Override
    Optional<String> onOpen(NetSocket socket) {
        return Optional.empty();
    }
}
