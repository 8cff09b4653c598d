package io.infergate.gateway.hardening;

import io.infergate.gateway.config.LimitsConfig;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SocketAddress;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Counts each client address's connections as they are accepted, before any TLS work, and bounds them.
 * It sits on the listening socket's channel, where Netty hands each accepted connection on to Vert.x; a
 * connection it holds back or closes there is not registered yet: nothing is read from it and no TLS
 * engine exists for it. Without it, a limit can only apply once Vert.x reports a connection, after its TLS
 * handshake (and, for HTTP/2, its preface): an attacker whose connections the gateway closes, and who opens
 * them again at once, then makes it shake hands with every one of them.
 *
 * <ul>
 *   <li>A connection is <em>opening</em> from its accept until its first request head arrives (reported by
 *       {@link #headArrived}): TLS handshake, HTTP/2 preface, head. An address may have
 *       {@code limits.max_opening_connections_per_address} opening at once; its next ones wait, unread, for
 *       one of them to finish or close, so that one address costs at most that many TLS handshakes at a
 *       time, while a client opening many connections at once (a NAT, a pool warming up) only waits.</li>
 *   <li>A connection that Vert.x has not reported {@code limits.header_timeout_ms} after its accept is
 *       closed (header_timeout): it never finished its TLS handshake, or never sent the HTTP/2 preface.
 *       Once reported, the {@link SlowClientGuard} waits for its head. A connection still waiting (never
 *       handed on) is closed earlier, at random between half the header timeout and the header timeout,
 *       so that connections accepted in one burst do not all close, and come back, at once.</li>
 *   <li>An address with {@code limits.max_connections_per_address} connections open (opening, waiting or
 *       serving) gets its next one closed as it is accepted.</li>
 *   <li>A connection the gate closes itself (at the connection limit, or waiting at its deadline) is
 *       reset (SO_LINGER 0), not closed with a FIN: no FIN exchange and no TIME_WAIT socket per refusal.</li>
 *   <li>On a drain, {@link #stopAccepting} closes a port's listening sockets and tells when the connections
 *       already accepted there have all delivered their first request head.</li>
 * </ul>
 *
 * <p>It is installed on a Vert.x instance's listening sockets by {@link GatedTransport}; one instance serves
 * every listener of that Vert.x instance, so it is thread-safe (one lock: accepts and first heads are rare
 * next to requests).
 *
 * <pre>{@code
 * AcceptGate gate = new AcceptGate(config.limits());
 * Vertx vertx = Vertx.builder().withTransport(GatedTransport.preferNative(gate)).build();
 * HostileInput.guard(server, vertx, limits, connections, router); // finds the gate through vertx
 * }</pre>
 */
@ChannelHandler.Sharable
public final class AcceptGate extends ChannelInboundHandlerAdapter {

    private final int maxOpeningPerAddress;
    private final int maxPerAddress;
    private final long headerTimeoutMillis;
    private static final Consumer<String> UNREPORTED = reason -> { };
    private volatile Consumer<String> closedBecause = UNREPORTED;
    /** Guarded by this. */
    private final Map<InetAddress, Address> addresses = new HashMap<>();
    /** The connections opening or waiting, by remote address and port. Guarded by this. */
    private final Map<String, Connection> unserved = new HashMap<>();
    /** The listening sockets. */
    private final Set<Channel> listeners = ConcurrentHashMap.newKeySet();
    /** Completed once {@link #stopAccepting} was called and no connection is left unserved. Guarded by this. */
    private CompletableFuture<Void> allServed;

    /** One client address's connections. */
    private static final class Address {
        int open;
        int opening;
        final ArrayDeque<Connection> waiting = new ArrayDeque<>();
    }

    private enum State { WAITING, OPENING, SERVED, CLOSED }

    /** One accepted connection, and the listening channel's context that hands it on. */
    private static final class Connection {
        final ChannelHandlerContext listener;
        final Channel channel;
        final InetAddress address;
        final String remote;
        State state;
        /** Given to Vert.x, which registered it on an event loop. */
        boolean handedOn;
        /** Vert.x reported it: the HTTP/1 connection finished its TLS handshake, the HTTP/2 one its preface. */
        boolean reported;
        Future<?> deadline;

        Connection(ChannelHandlerContext listener, Channel channel, InetSocketAddress remote) {
            this.listener = listener;
            this.channel = channel;
            this.address = remote.getAddress();
            this.remote = key(remote.getAddress().getHostAddress(), remote.getPort());
        }
    }

    public AcceptGate(LimitsConfig limits) {
        this(limits.maxOpeningConnectionsPerAddress(), limits.maxConnectionsPerAddress(), limits.headerTimeout());
    }

    /**
     * @param maxOpeningPerAddress connections of one address between accept and first request head at once; 0 for no bound
     * @param maxPerAddress        connections one address may hold open; 0 for no bound
     * @param headerTimeout        time from accept to the first request head
     */
    AcceptGate(int maxOpeningPerAddress, int maxPerAddress, Duration headerTimeout) {
        if (maxOpeningPerAddress < 0 || maxPerAddress < 0 || headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("maxOpeningPerAddress " + maxOpeningPerAddress + ", maxPerAddress "
                    + maxPerAddress + ", headerTimeout " + headerTimeout + " (expected: >= 0, >= 0, > 0)");
        }
        this.maxOpeningPerAddress = maxOpeningPerAddress;
        this.maxPerAddress = maxPerAddress;
        this.headerTimeoutMillis = headerTimeout.toMillis();
    }

    /** The gate of {@code vertx}'s listening sockets, if it was built with a {@link GatedTransport}. */
    public static Optional<AcceptGate> of(Vertx vertx) {
        return vertx instanceof VertxInternal internal && internal.transport() instanceof GatedTransport.Gated gated
                ? Optional.of(gated.gate()) : Optional.empty();
    }

    /**
     * Where the gate reports each connection it closes, by reason (as {@link ClientConnections} counts them):
     * the first caller's, as the gate serves every listener and cannot tell them apart.
     */
    public synchronized void reportClosesTo(Consumer<String> closedBecause) {
        if (this.closedBecause == UNREPORTED) {
            this.closedBecause = closedBecause;
        }
    }

    /**
     * Vert.x reported the connection of the client at {@code remote}: from now on the {@link SlowClientGuard}
     * waits for its first head (it closes an HTTP/2 connection with a {@code GOAWAY}, which the gate cannot),
     * while it still counts as opening here until that head arrives.
     */
    public synchronized void reported(SocketAddress remote) {
        Connection connection = unserved.get(key(remote.hostAddress(), remote.port()));
        if (connection != null) {
            connection.reported = true;
        }
    }

    /** A connection, reported by Vert.x with its client's {@code remote} address, delivered its first request head. */
    public void headArrived(SocketAddress remote) {
        Connection connection;
        synchronized (this) {
            connection = unserved.remove(key(remote.hostAddress(), remote.port()));
            completeIfAllServed();
            if (connection == null || connection.state != State.OPENING) {
                return;
            }
            connection.state = State.SERVED;
        }
        connection.deadline.cancel(false);
        finishedOpening(connection.address);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        listeners.add(ctx.channel());
        ctx.channel().closeFuture().addListener(closed -> listeners.remove(ctx.channel()));
    }

    /**
     * Closes the listening sockets on {@code port}, leaving the connections already accepted open, and
     * tells when each of those has delivered its first request head (or closed): a connection accepted
     * just before a drain then gets its first request served, where closing the server's idle
     * connections at once would close it unserved.
     */
    public CompletableFuture<Void> stopAccepting(int port) {
        listeners.stream().filter(listener -> listener.localAddress() instanceof InetSocketAddress local
                && local.getPort() == port).forEach(Channel::close);
        synchronized (this) {
            if (allServed == null) {
                allServed = new CompletableFuture<>();
            }
            completeIfAllServed();
            return allServed;
        }
    }

    /** Guarded by this. */
    private void completeIfAllServed() {
        if (allServed != null && unserved.isEmpty()) {
            allServed.complete(null);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Channel channel) || !(channel.remoteAddress() instanceof InetSocketAddress remote)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Connection connection = new Connection(ctx, channel, remote);
        State admitted;
        synchronized (this) {
            Address address = addresses.computeIfAbsent(connection.address, a -> new Address());
            if (maxPerAddress > 0 && address.open >= maxPerAddress) {
                admitted = State.CLOSED;
            } else {
                address.open++;
                unserved.put(connection.remote, connection);
                if (maxOpeningPerAddress == 0 || address.opening < maxOpeningPerAddress) {
                    address.opening++;
                    admitted = State.OPENING;
                } else {
                    address.waiting.add(connection);
                    admitted = State.WAITING;
                }
                // the deadline is set below, before anything can run that reads it: handOn and expired run
                // on this listener's event loop, headArrived and closed only once handed on
                connection.state = admitted;
            }
        }
        if (admitted == State.CLOSED) {
            reset(channel);
            closedBecause.accept(ClientConnections.PER_ADDRESS_LIMIT);
            return;
        }
        connection.deadline = ctx.executor().schedule(() -> expired(connection),
                admitted == State.WAITING ? waitingDeadlineMillis() : headerTimeoutMillis, TimeUnit.MILLISECONDS);
        if (admitted == State.OPENING) {
            handOn(connection);
        }
    }

    /** Lets Vert.x have {@code connection}: its pipeline, its TLS handshake. Runs on the listener's event loop. */
    private void handOn(Connection connection) {
        synchronized (this) {
            if (connection.state != State.OPENING) {
                return; // its deadline passed while it was on its way
            }
            connection.handedOn = true;
        }
        connection.channel.closeFuture().addListener(closed -> closed(connection));
        connection.listener.fireChannelRead(connection.channel);
    }

    /** Runs on the listener's event loop, as {@link #handOn} does. */
    private void expired(Connection connection) {
        State was;
        boolean neverHandedOn;
        boolean reported;
        synchronized (this) {
            was = connection.state;
            neverHandedOn = was == State.WAITING || was == State.OPENING && !connection.handedOn;
            reported = connection.reported;
            if (neverHandedOn) {
                connection.state = State.CLOSED;
                unserved.remove(connection.remote);
                completeIfAllServed();
                Address address = addresses.get(connection.address);
                address.open--;
                if (was == State.WAITING) {
                    address.waiting.remove(connection);
                    forgetIfEmpty(connection.address, address);
                }
            }
        }
        if (neverHandedOn) {
            reset(connection.channel); // not registered: nothing else knows it
            closedBecause.accept(SlowClientGuard.HEADER_TIMEOUT);
            if (was == State.OPENING) {
                finishedOpening(connection.address);
            }
        } else if (was == State.OPENING && !reported) {
            closedBecause.accept(SlowClientGuard.HEADER_TIMEOUT);
            connection.channel.close(); // closed() counts it
        }
    }

    private void closed(Connection connection) {
        boolean wasOpening;
        synchronized (this) {
            wasOpening = connection.state == State.OPENING;
            connection.state = State.CLOSED;
            unserved.remove(connection.remote);
            completeIfAllServed();
            Address address = addresses.get(connection.address);
            address.open--;
            if (!wasOpening) {
                forgetIfEmpty(connection.address, address);
            }
        }
        if (wasOpening) {
            connection.deadline.cancel(false);
            finishedOpening(connection.address);
        }
    }

    /** One of {@code address}'s opening connections is served or closed: the one waiting longest may open. */
    private void finishedOpening(InetAddress address) {
        Connection next;
        synchronized (this) {
            Address state = addresses.get(address);
            state.opening--;
            next = state.waiting.poll();
            if (next != null) {
                state.opening++;
                next.state = State.OPENING;
            }
            forgetIfEmpty(address, state);
        }
        if (next != null) {
            next.listener.executor().execute(() -> handOn(next));
        }
    }

    /**
     * When a connection accepted over its address's opening limit is closed if it is still waiting: at
     * random between half the header timeout and the header timeout. Connections accepted in one burst (an
     * attacker opening hundreds at once) then close over several seconds, and a client that opens them
     * again as they close comes back spread out, not as one burst of accepts (and of its own TLS work, when
     * it shares the gateway's cores) every header timeout. A waiting connection serves no one: it has had no
     * byte read, and the address has its limit of connections opening meanwhile. One handed on after waiting
     * keeps this deadline for its TLS handshake (or HTTP/2 preface), as every connection is timed from its
     * accept.
     */
    private long waitingDeadlineMillis() {
        return headerTimeoutMillis / 2 + ThreadLocalRandom.current().nextLong(headerTimeoutMillis / 2 + 1);
    }

    /**
     * Closes a connection that was never handed on with a reset (SO_LINGER 0) instead of a FIN: the client
     * learns at once that it was refused, the gateway exchanges no FIN and keeps no socket in TIME_WAIT for a
     * minute per refused attempt (an attacker reconnecting at once leaves thousands), and reads nothing.
     */
    private static void reset(Channel channel) {
        try {
            channel.config().setOption(ChannelOption.SO_LINGER, 0);
        } catch (ChannelException e) {
            // the socket is already gone: closing it is all that is left
        }
        channel.unsafe().closeForcibly();
    }

    private void forgetIfEmpty(InetAddress key, Address address) {
        if (address.open == 0 && address.opening == 0) {
            addresses.remove(key);
        }
    }

    private static String key(String host, int port) {
        return host + " " + port;
    }
}
