package io.infergate.gateway.security;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The address rules of the fleet's endpoints, for the address a connection actually goes to: a connection
 * to a host that some endpoint's URL names is checked against the {@link EndpointAddressPolicy} of that
 * endpoint's pool (of every such pool, when several name the host: the connection cannot say which pool it
 * serves). A connection to any other host (the rate-limit store, a DNS server over TCP) is not an
 * endpoint's, and is let through. Hosts are compared as URLs spell them, a name by name (lower case), an
 * address by address ({@code [::ffff:10.0.0.5]} is {@code 10.0.0.5}).
 *
 * <pre>{@code
 * EndpointAddressPolicies policies = new EndpointAddressPolicies(fleet::snapshot,
 *         Map.of("chat", List.of(AllowedEndpoint.parse("10.0.0.0/8"))));
 * policies.refusal("gpu-1.internal", InetAddress.getByName("169.254.169.254"));  // Refused: link_local
 * }</pre>
 */
public final class EndpointAddressPolicies {

    /** A connection refused: to {@code endpoint} (its id), for {@code refusal}. */
    public record Refused(String endpoint, EndpointAddressPolicy.Refusal refusal) {
    }

    /** The rules of a pool without {@code allowed_endpoints}; the connect-time check never resolves a name. */
    private static final EndpointAddressPolicy NO_LIST = new EndpointAddressPolicy(List.of(), HostResolver.system());

    private final Supplier<FleetSnapshot> fleet;
    private final Map<String, EndpointAddressPolicy> byPool;

    /** @param allowedByPool each pool's {@code allowed_endpoints}; a pool left out declares none */
    public EndpointAddressPolicies(Supplier<FleetSnapshot> fleet, Map<String, List<AllowedEndpoint>> allowedByPool) {
        this.fleet = fleet;
        Map<String, EndpointAddressPolicy> policies = new HashMap<>();
        allowedByPool.forEach((pool, allowed) -> policies.put(pool, new EndpointAddressPolicy(allowed,
                HostResolver.system())));
        this.byPool = Map.copyOf(policies);
    }

    /**
     * Why a connection to {@code address}, which {@code host} resolved to as it was made, must not go ahead:
     * the first refusal of an endpoint on that host; empty when no endpoint is on it or every one allows it.
     */
    public Optional<Refused> refusal(String host, InetAddress address) {
        String key = hostKey(host);
        FleetSnapshot snapshot = fleet.get();
        for (int slot = 0; slot < snapshot.size(); slot++) {
            Endpoint endpoint = snapshot.endpoint(slot);
            String endpointHost = endpoint.url().getHost();
            if (endpointHost != null && hostKey(endpointHost).equals(key)) {
                Optional<EndpointAddressPolicy.Refusal> refusal = byPool.getOrDefault(endpoint.pool(), NO_LIST)
                        .refusalToConnect(host, address);
                if (refusal.isPresent()) {
                    return Optional.of(new Refused(endpoint.id(), refusal.get()));
                }
            }
        }
        return Optional.empty();
    }

    private static String hostKey(String host) {
        String name = IpLiterals.unbracketed(host);
        return IpLiterals.parse(name).map(IpLiterals::format).orElse(name);
    }
}
