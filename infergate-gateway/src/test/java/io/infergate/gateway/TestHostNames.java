package io.infergate.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Host names under {@code .infergate.test} for this module's tests, answered as DNS would (installed for
 * the whole test JVM through {@code META-INF/services}); every other name goes to the JDK's own resolver.
 * They let a test check what the gateway does with a name that resolves to the metadata address,
 * without touching the machine's DNS.
 */
public final class TestHostNames extends InetAddressResolverProvider {

    /** Resolves to 169.254.169.254, the cloud metadata address. */
    static final String METADATA_ALIAS = "metadata-alias.infergate.test";
    /** Resolves to 127.0.0.1. */
    static final String LOOPBACK_ALIAS = "loopback.infergate.test";

    private static final Map<String, List<String>> NAMES = Map.of(
            METADATA_ALIAS, List.of("169.254.169.254"),
            LOOPBACK_ALIAS, List.of("127.0.0.1"));

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                List<String> addresses = NAMES.get(host);
                if (addresses == null) {
                    return builtin.lookupByName(host, policy);
                }
                return addresses.stream().map(TestHostNames::literal);
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                return builtin.lookupByAddress(address);
            }
        };
    }

    @Override
    public String name() {
        return "infergate test host names";
    }

    private static InetAddress literal(String address) {
        try {
            return InetAddress.getByName(address); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }
}
