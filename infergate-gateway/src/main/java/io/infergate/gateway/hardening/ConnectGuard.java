package io.infergate.gateway.hardening;

import io.infergate.gateway.security.EndpointAddressPolicies;
import io.infergate.gateway.security.IpLiterals;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.VertxInternal;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Checks every outbound TCP connection of a Vert.x instance built with a {@link GatedTransport} against the
 * endpoints' address rules ({@link EndpointAddressPolicies}) on the address it is about to connect to,
 * after the name was resolved: proxying, metrics scraping and health probing alike, so that an endpoint
 * whose name resolves elsewhere than when it was added (DNS rebinding to 169.254.169.254, or out of the
 * pool's {@code allowed_endpoints}) is never reached. A refused connect fails with {@link Refused} before any
 * packet leaves; each refusal is counted in {@code infergate_endpoint_connects_refused_total{endpoint,reason}}
 * and logged once per endpoint and address. Until {@link #enforce} is called, every connection goes ahead.
 *
 * <pre>{@code
 * ConnectGuard.of(vertx).ifPresent(guard -> guard.enforce(policies, metrics.registry()));
 * }</pre>
 */
@ChannelHandler.Sharable
public final class ConnectGuard extends ChannelOutboundHandlerAdapter {

    private static final Logger LOG = Logger.getLogger(ConnectGuard.class.getName());

    /** A connection refused by the endpoints' address rules; a {@link ConnectException}, as a refused connect. */
    public static final class Refused extends ConnectException {
        Refused(String message) {
            super(message);
        }
    }

    private record Enforced(EndpointAddressPolicies policies, MeterRegistry registry) {
    }

    private volatile Optional<Enforced> enforced = Optional.empty();
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    /** The guard of {@code vertx}'s outbound connections, if it was built with a {@link GatedTransport}. */
    public static Optional<ConnectGuard> of(Vertx vertx) {
        return vertx instanceof VertxInternal internal && internal.transport() instanceof GatedTransport.Gated gated
                ? Optional.of(gated.connectGuard()) : Optional.empty();
    }

    /** From now on, refuses the connections {@code policies} refuse, counting them in {@code registry}. */
    public void enforce(EndpointAddressPolicies policies, MeterRegistry registry) {
        enforced = Optional.of(new Enforced(policies, registry));
    }

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local, ChannelPromise promise) {
        ctx.pipeline().remove(this);
        Optional<Enforced> rules = enforced;
        Optional<EndpointAddressPolicies.Refused> refused = rules.isPresent()
                && remote instanceof InetSocketAddress inet && !inet.isUnresolved()
                ? rules.get().policies().refusal(inet.getHostString(), inet.getAddress()) : Optional.empty();
        if (refused.isEmpty()) {
            ctx.connect(remote, local, promise);
            return;
        }
        InetSocketAddress inet = (InetSocketAddress) remote;
        String endpoint = refused.get().endpoint();
        String reason = refused.get().refusal().reason();
        String message = "refused to connect to endpoint '" + endpoint + "' at " + IpLiterals.format(inet.getAddress())
                + ": " + refused.get().refusal().message();
        Counter.builder("infergate.endpoint.connects.refused")
                .description("Connections to endpoints the gateway refused to open, the address they resolved to "
                        + "being one the endpoint's pool may not reach")
                .tags("endpoint", endpoint, "reason", reason)
                .register(rules.get().registry()).increment();
        if (logged.add(endpoint + " " + inet.getAddress())) {
            LOG.warning(message + " (no connection is opened to it while it resolves there)");
        }
        promise.setFailure(new Refused(message));
    }
}
