package io.infergate.gateway.security;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which hosts a pool's endpoints may have: every spelling of the metadata address, and allow-lists. */
class EndpointAddressPolicyTest {

    /** A resolver that knows a few names, as DNS would answer them. */
    private static final HostResolver DNS = name -> {
        List<String> answers = Map.of(
                "metadata-alias.example", List.of("169.254.169.254"),
                "mixed.example", List.of("10.1.2.3", "169.254.169.254"),
                "mapped.example", List.of("::ffff:169.254.169.254"),
                "gpu-1.example", List.of("10.1.2.3", "fd00::7"),
                "outside.example", List.of("10.1.2.3", "192.0.2.9")).get(name);
        if (answers == null) {
            throw new UnknownHostException(name);
        }
        return answers.stream().map(EndpointAddressPolicyTest::address).toList();
    };

    private static EndpointAddressPolicy allowing(String... entries) {
        return new EndpointAddressPolicy(Arrays.stream(entries).map(AllowedEndpoint::parse).toList(), DNS);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "169.254.169.254",          // dotted
            "169.254.170.2",            // ECS task metadata
            "2852039166",               // one decimal number
            "0xa9fea9fe",               // one hex number
            "0xA9.0xFE.0xA9.0xFE",      // hex parts
            "0251.0376.0251.0376",      // octal parts
            "0251.254.169.254",         // one octal part
            "169.254.43518",            // a.b.c16
            "169.16689662",             // a.b24
            "[fe80::1]",                // IPv6 link-local
            "[fe80::1%25eth0]",         // with a zone
            "[fd00:ec2::254]",          // AWS over IPv6
            "[::ffff:169.254.169.254]", // IPv4-mapped
            "[::ffff:a9fe:a9fe]",       // IPv4-mapped, hex
            "[::169.254.169.254]",      // IPv4-compatible
            "[64:ff9b::a9fe:a9fe]",     // NAT64
            "100.100.100.200",          // Alibaba Cloud
            "metadata.google.internal",
            "METADATA.Google.Internal.",
            "metadata",
            "instance-data",
            "metadata-alias.example",   // a name resolving there
            "mixed.example",            // one of its addresses is there
            "mapped.example"})          // resolving to the IPv4-mapped form
    void refusesEveryFormOfALinkLocalOrMetadataAddressWithoutAnAllowList(String host) {
        assertThat(allowing().refusal(host)).as(host).isPresent();
    }

    @Test
    void refusalsSayWhatTheAddressIs() {
        assertThat(allowing().refusal("0xa9fea9fe")).contains("'0xa9fea9fe' is an IPv4 address not written in dotted "
                + "decimal, which resolvers read as 169.254.169.254 or not at all (expected: a.b.c.d)");
        assertThat(allowing().refusal("mixed.example")).contains("'mixed.example' resolves to 169.254.169.254, which is "
                + "link-local, where cloud metadata services answer (169.254.169.254); refused unless the pool's "
                + "allowed_endpoints lists a range inside 169.254.0.0/16");
        assertThat(allowing().refusal("[::ffff:a9fe:a9fe]")).hasValueSatisfying(why -> assertThat(why)
                .startsWith("169.254.169.254 is link-local"));
        assertThat(allowing().refusal("[64:ff9b::a9fe:a9fe]")).hasValueSatisfying(why -> assertThat(why)
                .startsWith("64:ff9b::a9fe:a9fe (IPv4 169.254.169.254) is link-local"));
        assertThat(allowing().refusal("metadata.google.internal")).contains("'metadata.google.internal' is a cloud "
                + "metadata service's host name; refused unless the pool's allowed_endpoints lists "
                + "metadata.google.internal");
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.5", "127.0.0.1", "localhost", "[::1]", "[fd00::7]", "gpu-1.example",
            "not-yet-in-dns.example"})
    void letsOrdinaryAddressesAndNamesThroughWithoutAnAllowList(String host) {
        assertThat(allowing().refusal(host)).as(host).isEmpty();
    }

    @Test
    void withAnAllowListAHostMustMatchAnEntry() {
        EndpointAddressPolicy policy = allowing("10.0.0.0/8", "fd00::/8", "*.svc.cluster.local", "vllm.internal");

        assertThat(policy.refusal("10.200.0.9")).isEmpty();
        assertThat(policy.refusal("[fd00::9]")).isEmpty();
        assertThat(policy.refusal("vllm-0.vllm.svc.cluster.local")).isEmpty(); // by name, resolved or not
        assertThat(policy.refusal("vllm.internal")).isEmpty();
        assertThat(policy.refusal("gpu-1.example")).isEmpty();                   // every address in a range
        assertThat(policy.refusal("192.168.1.4")).contains(
                "192.168.1.4 is not in the pool's allowed_endpoints [10.0.0.0/8, fd00::/8, "
                        + "*.svc.cluster.local, vllm.internal]");
        assertThat(policy.refusal("[2001:db8::1]")).isPresent();
        assertThat(policy.refusal("outside.example")).hasValueSatisfying(why -> assertThat(why)
                .startsWith("'outside.example' resolves to 192.0.2.9, which is not in the pool's allowed_endpoints"));
        assertThat(policy.refusal("not-yet-in-dns.example")).hasValueSatisfying(why -> assertThat(why)
                .startsWith("'not-yet-in-dns.example' does not resolve, so it cannot be checked"));
        assertThat(policy.refusal("svc.cluster.local")).isPresent(); // '*.' is for names under it only
    }

    @Test
    void onlyAnEntryInsideTheGuardedRangeUnlocksIt() {
        assertThat(allowing("0.0.0.0/0", "::/0").refusal("169.254.169.254")).isPresent();
        assertThat(allowing("0.0.0.0/0", "::/0").refusal("[fe80::1]")).isPresent();
        assertThat(allowing("169.254.0.0/16").refusal("169.254.169.254")).isEmpty();
        assertThat(allowing("169.254.10.0/24").refusal("169.254.10.7")).isEmpty();
        assertThat(allowing("169.254.10.0/24").refusal("169.254.169.254")).isPresent();
        assertThat(allowing("fe80::/64").refusal("[fe80::1%25eth0]")).isEmpty();
        assertThat(allowing("metadata.google.internal").refusal("metadata.google.internal")).isEmpty();
        assertThat(allowing("*.google.internal").refusal("metadata.google.internal")).isPresent();
        // a number spelled otherwise stays refused, listed or not: resolvers disagree on what it means
        assertThat(allowing("169.254.0.0/16").refusal("2852039166")).isPresent();
    }

    @Test
    void readsIpv4InEveryFormResolversAccept() {
        assertThat(IpLiterals.legacyIpv4("2852039166")).contains(address("169.254.169.254"));
        assertThat(IpLiterals.legacyIpv4("0xa9fea9fe")).contains(address("169.254.169.254"));
        assertThat(IpLiterals.legacyIpv4("0251.0376.0251.0376")).contains(address("169.254.169.254"));
        assertThat(IpLiterals.legacyIpv4("127.1")).contains(address("127.0.0.1"));
        assertThat(IpLiterals.legacyIpv4("169.254.169.254")).isEmpty(); // dotted decimal is the plain form
        assertThat(IpLiterals.legacyIpv4("4294967296")).isEmpty();      // too large to be an address
        assertThat(IpLiterals.legacyIpv4("gpu-1")).isEmpty();
        assertThat(IpLiterals.parse("[::ffff:10.0.0.1]")).contains(address("10.0.0.1"));
        assertThat(IpLiterals.parse("256.1.1.1")).isEmpty();
        assertThat(IpLiterals.parse("gpu-1.example")).isEmpty();
    }

    @Test
    void allowListEntriesMustBeNamesAddressesOrRanges() {
        assertThat(AllowedEndpoint.parse("10.0.0.0/8")).isEqualTo(
                new AllowedEndpoint.Network(address("10.0.0.0"), 8));
        assertThat(AllowedEndpoint.parse("10.0.0.5")).isEqualTo(new AllowedEndpoint.Network(address("10.0.0.5"), 32));
        assertThat(AllowedEndpoint.parse("GPU.Internal")).isEqualTo(new AllowedEndpoint.HostName("gpu.internal"));
        assertThatThrownBy(() -> AllowedEndpoint.parse("10.0.0.0/33"))
                .hasMessage("expected a prefix length from 0 to 32 after '/', found '10.0.0.0/33'");
        assertThatThrownBy(() -> AllowedEndpoint.parse("http://10.0.0.5"))
                .hasMessage("expected a host name, an IP address or a CIDR range (such as 10.0.0.0/8 or fd00::/8) "
                        + "written in full, found 'http://10.0.0.5'");
        assertThatThrownBy(() -> AllowedEndpoint.parse("0xa9fea9fe")).isInstanceOf(IllegalArgumentException.class);
    }

    private static InetAddress address(String literal) {
        return IpLiterals.parse(literal).orElseThrow(() -> new IllegalArgumentException(literal));
    }
}
