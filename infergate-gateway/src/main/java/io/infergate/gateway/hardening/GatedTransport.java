package io.infergate.gateway.hardening;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.impl.transports.NioTransport;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TcpConfig;
import io.vertx.core.transport.Transport;

import java.util.concurrent.ThreadFactory;

/**
 * A Vert.x transport that puts an {@link AcceptGate} on every listening socket of the Vert.x instance built
 * with it: Vert.x leaves the listening channel's own handler free, and hands each server's bootstrap to its
 * transport before binding. It also puts a {@link ConnectGuard} first on every outbound TCP channel it makes
 * (Vert.x makes every client channel through {@code channelFactory}, then resolves the host and connects),
 * so the guard sees the address each connection actually goes to. Linux's epoll (or another native transport) when it loads, else NIO; on NIO
 * the transport stays a {@link NioTransport}, which Vert.x tells apart from a native one by its class.
 *
 * <pre>{@code
 * Vertx vertx = Vertx.builder().with(options).withTransport(GatedTransport.preferNative(gate)).build();
 * }</pre>
 */
public final class GatedTransport {

    /**
     * The transport implementation with a gate and a connect guard; {@link AcceptGate#of} and
     * {@link ConnectGuard#of} find them through it.
     */
    interface Gated {
        AcceptGate gate();

        ConnectGuard connectGuard();
    }

    private GatedTransport() {
    }

    /** The native transport when it is available, else NIO, with {@code gate} on its listening sockets. */
    public static Transport preferNative(AcceptGate gate) {
        Transport nativeTransport = Transport.nativeTransport();
        ConnectGuard guard = new ConnectGuard();
        if (nativeTransport == null || !nativeTransport.available()) {
            return wrap(Transport.NIO, new GatedNio(gate, guard));
        }
        return wrap(nativeTransport, new GatedNative(nativeTransport.implementation(), gate, guard));
    }

    private static Transport wrap(Transport base, io.vertx.core.spi.transport.Transport implementation) {
        return new Transport() {
            @Override
            public String name() {
                return base.name();
            }

            @Override
            public boolean available() {
                return base.available();
            }

            @Override
            public Throwable unavailabilityCause() {
                return base.unavailabilityCause();
            }

            @Override
            public io.vertx.core.spi.transport.Transport implementation() {
                return implementation;
            }
        };
    }

    /** {@code channels}, each new TCP client channel with {@code guard} first in its pipeline. */
    private static ChannelFactory<? extends Channel> guarded(ChannelFactory<? extends Channel> channels,
                                                             boolean domainSocket, ConnectGuard guard) {
        if (domainSocket) {
            return channels;
        }
        return () -> {
            Channel channel = channels.newChannel();
            channel.pipeline().addFirst(guard);
            return channel;
        };
    }

    private static final class GatedNio extends NioTransport implements Gated {
        private final AcceptGate gate;
        private final ConnectGuard connectGuard;

        GatedNio(AcceptGate gate, ConnectGuard connectGuard) {
            this.gate = gate;
            this.connectGuard = connectGuard;
        }

        @Override
        public AcceptGate gate() {
            return gate;
        }

        @Override
        public ConnectGuard connectGuard() {
            return connectGuard;
        }

        @Override
        public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
            return guarded(super.channelFactory(domainSocket), domainSocket, connectGuard);
        }

        @Override
        public void configure(TcpConfig options, boolean domainSocket, ServerBootstrap bootstrap) {
            super.configure(options, domainSocket, bootstrap);
            bootstrap.handler(gate);
        }
    }

    /** Every call to the native transport, the listening sockets' handler and the client channels' guard added. */
    private record GatedNative(io.vertx.core.spi.transport.Transport base, AcceptGate gate, ConnectGuard connectGuard)
            implements io.vertx.core.spi.transport.Transport, Gated {

        @Override
        public void configure(TcpConfig options, boolean domainSocket, ServerBootstrap bootstrap) {
            base.configure(options, domainSocket, bootstrap);
            bootstrap.handler(gate);
        }

        @Override
        public boolean supportsDomainSockets() {
            return base.supportsDomainSockets();
        }

        @Override
        public boolean supportFileRegion() {
            return base.supportFileRegion();
        }

        @Override
        public boolean isAvailable() {
            return base.isAvailable();
        }

        @Override
        public Throwable unavailabilityCause() {
            return base.unavailabilityCause();
        }

        @Override
        public java.net.SocketAddress convert(SocketAddress address) {
            return base.convert(address);
        }

        @Override
        public SocketAddress convert(java.net.SocketAddress address) {
            return base.convert(address);
        }

        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return base.ioHandlerFactory();
        }

        @Override
        public EventLoopGroup eventLoopGroup(int type, int threads, ThreadFactory threadFactory, int ioRatio) {
            return base.eventLoopGroup(type, threads, threadFactory, ioRatio);
        }

        @Override
        public DatagramChannel datagramChannel(InternetProtocolFamily family) {
            return base.datagramChannel(family);
        }

        @Override
        public ChannelFactory<? extends DatagramChannel> datagramChannelFactory() {
            return base.datagramChannelFactory();
        }

        @Override
        public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
            return guarded(base.channelFactory(domainSocket), domainSocket, connectGuard);
        }

        @Override
        public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
            return base.serverChannelFactory(domainSocket);
        }

        @Override
        public void configure(DatagramChannel channel, DatagramSocketOptions options) {
            base.configure(channel, options);
        }

        @Override
        public void configure(TcpConfig options, boolean domainSocket, Bootstrap bootstrap) {
            base.configure(options, domainSocket, bootstrap);
        }
    }
}
