package io.infergate.gateway.security;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether the gateway may send requests, scrapes and probes to a host: the rule that keeps an endpoint
 * from being turned into a weapon (traffic hijack, requests forged into the cloud metadata service).
 * <ul>
 *   <li>Link-local and cloud-metadata addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254,
 *       100.100.100.200, and the same inside IPv6 as {@code ::ffff:a.b.c.d}) and metadata host names
 *       ({@code metadata.google.internal}, {@code instance-data}, ...) are refused unless the pool's
 *       allow-list names them explicitly: a range inside them, or the host name itself
 *       ({@code 0.0.0.0/0} does not unlock them).</li>
 *   <li>When the pool declares {@code allowed_endpoints}, a host must match one entry: a name by name
 *       (or every address it resolves to in an allowed range), an address by range.</li>
 *   <li>An IPv4 address written other than in dotted decimal ({@code 2852039166}, {@code 0xa9fea9fe},
 *       {@code 0251.254.169.254}) is refused: resolvers disagree on what it means.</li>
 *   <li>A name is resolved and every address it resolves to is checked. A name that does not resolve is
 *       let through when the pool declares no allow-list (there is nothing to reach yet), refused otherwise.</li>
 * </ul>
 * Plain logic: the only lookup is through the {@link HostResolver} it is given.
 *
 * <pre>{@code
 * EndpointAddressPolicy policy = new EndpointAddressPolicy(List.of(AllowedEndpoint.parse("10.0.0.0/8")),
 *         HostResolver.system());
 * policy.refusal("10.0.0.7");           // empty: allowed
 * policy.refusal("169.254.169.254");    // "169.254.169.254 is link-local ..."
 * }</pre>
 */
public final class EndpointAddressPolicy {

    /**
     * Why an address must not be reached: {@code reason} is {@code link_local}, {@code metadata} or
     * {@code not_allowed} (the label of {@code infergate_endpoint_connects_refused_total}), {@code message}
     * says it to a person.
     */
    public record Refusal(String reason, String message) {
    }

    /** A range the gateway never reaches unless told so, what it is, and the reason it is refused. */
    private record Guarded(AllowedEndpoint.Network range, String what, String reason) {
    }

    private static final List<Guarded> GUARDED = List.of(
            guarded("169.254.0.0/16", "link-local, where cloud metadata services answer (169.254.169.254)",
                    "link_local"),
            guarded("100.100.100.200/32", "Alibaba Cloud's metadata service", "metadata"),
            guarded("fe80::/10", "IPv6 link-local", "link_local"),
            guarded("fd00:ec2::254/128", "the AWS metadata service over IPv6", "metadata"));
    private static final Set<String> METADATA_NAMES = Set.of("metadata", "metadata.google.internal", "metadata.goog",
            "instance-data", "instance-data.ec2.internal");

    private final List<AllowedEndpoint> allowed;
    private final HostResolver resolver;

    /** @param allowed the pool's {@code allowed_endpoints}; empty when it declares none */
    public EndpointAddressPolicy(List<AllowedEndpoint> allowed, HostResolver resolver) {
        this.allowed = List.copyOf(allowed);
        this.resolver = resolver;
    }

    /** Why the gateway must not reach {@code url}, or empty when it may. */
    public Optional<String> refusal(URI url) {
        return url.getHost() == null ? Optional.of("'" + url + "' names no host that can be checked")
                : refusal(url.getHost());
    }

    /** Why the gateway must not reach {@code host} (as a URL spells it), or empty when it may. */
    public Optional<String> refusal(String host) {
        String name = IpLiterals.unbracketed(host);
        Optional<InetAddress> legacy = IpLiterals.legacyIpv4(name);
        if (legacy.isPresent()) {
            return Optional.of("'" + host + "' is an IPv4 address not written in dotted decimal, which resolvers read "
                    + "as " + IpLiterals.format(legacy.get()) + " or not at all (expected: a.b.c.d)");
        }
        Optional<InetAddress> literal = IpLiterals.parse(name);
        if (literal.isPresent()) {
            return refusal(literal.get(), "", false).map(Refusal::message);
        }
        Optional<Refusal> metadataName = metadataName(name);
        if (metadataName.isPresent()) {
            return metadataName.map(Refusal::message);
        }
        boolean listedByName = listedByName(name);
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(name);
        } catch (UnknownHostException e) {
            return allowed.isEmpty() || listedByName ? Optional.empty()
                    : Optional.of("'" + name + "' does not resolve, so it cannot be checked against allowed_endpoints "
                    + allowed);
        }
        for (InetAddress address : addresses) {
            Optional<Refusal> refusal = refusal(address, "'" + name + "' resolves to ", listedByName);
            if (refusal.isPresent()) {
                return refusal.map(Refusal::message);
            }
        }
        return Optional.empty();
    }

    /**
     * Why the gateway must not open a connection to {@code address}, the address {@code host} (as a URL
     * spells it) resolved to as the connection was made, or empty when it may: the same rules as
     * {@link #refusal(String)}, on the address actually connected to, so that a name which resolved to an
     * allowed address when it was added and resolves elsewhere later (DNS rebinding) is still refused.
     */
    public Optional<Refusal> refusalToConnect(String host, InetAddress address) {
        String name = IpLiterals.unbracketed(host);
        if (IpLiterals.parse(name).isPresent()) {
            return refusal(address, "", false);
        }
        Optional<Refusal> metadataName = metadataName(name);
        return metadataName.isPresent() ? metadataName
                : refusal(address, "'" + name + "' resolves to ", listedByName(name));
    }

    private Optional<Refusal> metadataName(String name) {
        return METADATA_NAMES.contains(name) && !allowed.contains(new AllowedEndpoint.HostName(name))
                ? Optional.of(new Refusal("metadata", "'" + name + "' is a cloud metadata service's host name"
                + unlessListed(name)))
                : Optional.empty();
    }

    private boolean listedByName(String name) {
        return allowed.stream().anyMatch(entry -> entry instanceof AllowedEndpoint.HostName hostName
                && hostName.matches(name));
    }

    private Optional<Refusal> refusal(InetAddress address, String resolvedFrom, boolean listedByName) {
        InetAddress checked = IpLiterals.embeddedIpv4(address).orElse(address);
        String shown = resolvedFrom + IpLiterals.format(address)
                + (checked.equals(address) ? "" : " (IPv4 " + IpLiterals.format(checked) + ")")
                + (resolvedFrom.isEmpty() ? "" : ", which");
        for (Guarded guarded : GUARDED) {
            if (guarded.range().contains(checked) && !explicitlyAllowed(guarded.range(), checked)) {
                return Optional.of(new Refusal(guarded.reason(),
                        shown + " is " + guarded.what() + unlessListed("a range inside " + guarded.range())));
            }
        }
        if (allowed.isEmpty() || listedByName || allowed.stream().anyMatch(entry ->
                entry instanceof AllowedEndpoint.Network network && network.contains(checked))) {
            return Optional.empty();
        }
        return Optional.of(new Refusal("not_allowed", shown + " is not in the pool's allowed_endpoints " + allowed));
    }

    /** Whether an allowed range inside {@code guarded} holds {@code address}: a broader one does not count. */
    private boolean explicitlyAllowed(AllowedEndpoint.Network guarded, InetAddress address) {
        return allowed.stream().anyMatch(entry -> entry instanceof AllowedEndpoint.Network network
                && network.within(guarded) && network.contains(address));
    }

    private static String unlessListed(String what) {
        return "; refused unless the pool's allowed_endpoints lists " + what;
    }

    private static Guarded guarded(String range, String what, String reason) {
        return new Guarded((AllowedEndpoint.Network) AllowedEndpoint.parse(range), what, reason);
    }
}
