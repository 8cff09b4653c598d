package io.infergate.gateway.security;

import java.net.InetAddress;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One entry of a pool's {@code allowed_endpoints}: a network (an IP address or a CIDR range, IPv4 or IPv6)
 * or a host name ({@code *.} allows every name under a domain).
 *
 * <pre>{@code
 * AllowedEndpoint.parse("10.0.0.0/8");                    // Network 10.0.0.0/8
 * AllowedEndpoint.parse("fd00::/8");                      // Network fd00::/8
 * AllowedEndpoint.parse("*.vllm.svc.cluster.local");      // HostName
 * }</pre>
 */
public sealed interface AllowedEndpoint {

    /** {@code address/prefixBits}; a single address has all its bits. */
    record Network(InetAddress address, int prefixBits) implements AllowedEndpoint {

        public Network {
            Objects.requireNonNull(address, "address");
            int bits = address.getAddress().length * 8;
            if (prefixBits < 0 || prefixBits > bits) {
                throw new IllegalArgumentException("prefixBits: " + prefixBits + " (expected: 0-" + bits + ")");
            }
        }

        /** Whether {@code candidate}, of the same family, lies in this network. */
        public boolean contains(InetAddress candidate) {
            byte[] network = address.getAddress();
            byte[] other = candidate.getAddress();
            if (network.length != other.length) {
                return false;
            }
            for (int bit = 0; bit < prefixBits; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((network[bit / 8] & mask) != (other[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        /** Whether all of this network lies in {@code outer}. */
        public boolean within(Network outer) {
            return prefixBits >= outer.prefixBits && outer.contains(address);
        }

        @Override
        public String toString() {
            return IpLiterals.format(address) + "/" + prefixBits;
        }
    }

    /** A host name, matched exactly, or every name under {@code domain} when written {@code *.domain}. */
    record HostName(String name) implements AllowedEndpoint {

        private static final Pattern FORM =
                Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

        public HostName {
            Objects.requireNonNull(name, "name");
        }

        public boolean matches(String host) {
            return name.startsWith("*.") ? host.endsWith(name.substring(1)) : host.equals(name);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * Reads an entry.
     *
     * @throws IllegalArgumentException saying what was expected and what was found
     */
    static AllowedEndpoint parse(String text) {
        String entry = text.trim();
        int slash = entry.indexOf('/');
        Optional<InetAddress> address = IpLiterals.parse(slash < 0 ? entry : entry.substring(0, slash));
        if (address.isPresent()) {
            int bits = address.get().getAddress().length * 8;
            if (slash < 0) {
                return new Network(address.get(), bits);
            }
            String prefix = entry.substring(slash + 1);
            if (prefix.matches("[0-9]{1,3}") && Integer.parseInt(prefix) <= bits) {
                return new Network(address.get(), Integer.parseInt(prefix));
            }
            throw new IllegalArgumentException("expected a prefix length from 0 to " + bits + " after '/', found '"
                    + text + "'");
        }
        String name = IpLiterals.unbracketed(entry);
        if (slash < 0 && HostName.FORM.matcher(name).matches() && IpLiterals.legacyIpv4(name).isEmpty()) {
            return new HostName(name);
        }
        throw new IllegalArgumentException("expected a host name, an IP address or a CIDR range (such as 10.0.0.0/8 or "
                + "fd00::/8) written in full, found '" + text + "'");
    }
}
