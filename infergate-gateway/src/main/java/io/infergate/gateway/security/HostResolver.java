package io.infergate.gateway.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Resolves a host name to its addresses; {@link EndpointAddressPolicy} checks every one of them.
 *
 * <pre>{@code
 * HostResolver system = HostResolver.system();
 * HostResolver fixed = name -> List.of(InetAddress.getByAddress(new byte[]{10, 0, 0, 7}));
 * }</pre>
 */
@FunctionalInterface
public interface HostResolver {

    /** @throws UnknownHostException when the name does not resolve */
    List<InetAddress> resolve(String name) throws UnknownHostException;

    /** The JVM's resolver (the system's hosts file and DNS). */
    static HostResolver system() {
        return name -> List.of(InetAddress.getAllByName(name));
    }
}
