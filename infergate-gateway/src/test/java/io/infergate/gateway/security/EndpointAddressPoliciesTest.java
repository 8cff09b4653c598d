package io.infergate.gateway.security;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.FleetSnapshot;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which connections the fleet's address rules refuse, given the address each one resolved to. */
class EndpointAddressPoliciesTest {

    private static final FleetSnapshot FLEET = FleetSnapshot.of(List.of(
            endpoint("chat-1", "http://GPU-1.Internal:8000", "chat"),
            endpoint("open-1", "http://gpu-1.internal:9000", "open"),
            endpoint("mapped", "http://[::ffff:10.0.0.5]:8000", "chat"),
            endpoint("trusted", "http://vllm.svc.example:8000", "named")));
    private static final EndpointAddressPolicies POLICIES = new EndpointAddressPolicies(() -> FLEET, Map.of(
            "chat", List.of(AllowedEndpoint.parse("10.0.0.0/8")),
            "named", List.of(AllowedEndpoint.parse("vllm.svc.example"))));

    @Test
    void aHostNoEndpointNamesIsNotChecked() {
        // the rate-limit store, or a DNS server over TCP at the link-local address a cloud gives it
        assertThat(POLICIES.refusal("169.254.169.253", address("169.254.169.253"))).isEmpty();
        assertThat(POLICIES.refusal("redis.internal", address("192.0.2.1"))).isEmpty();
    }

    @Test
    void aNameIsCheckedAgainstEveryPoolThatHasAnEndpointOnIt() {
        assertThat(POLICIES.refusal("gpu-1.internal", address("10.0.0.7"))).isEmpty();
        Optional<EndpointAddressPolicies.Refused> outside = POLICIES.refusal("gpu-1.internal", address("192.0.2.1"));
        assertThat(outside).map(EndpointAddressPolicies.Refused::endpoint).hasValue("chat-1");
        assertThat(outside).map(refused -> refused.refusal().reason()).hasValue("not_allowed");
        Optional<EndpointAddressPolicies.Refused> metadata =
                POLICIES.refusal("gpu-1.internal", address("169.254.169.254"));
        assertThat(metadata).map(refused -> refused.refusal().reason()).hasValue("link_local");
        assertThat(metadata).map(refused -> refused.refusal().message()).get().asString()
                .contains("'gpu-1.internal' resolves to 169.254.169.254");
    }

    @Test
    void addressesAreComparedAsAddresses() {
        assertThat(POLICIES.refusal("10.0.0.5", address("10.0.0.5"))).isEmpty();
        assertThat(POLICIES.refusal("0:0:0:0:0:ffff:a00:5", address("10.0.0.5"))).isEmpty();
    }

    @Test
    void aNameListedByNameIsTrustedAnywhereButInAGuardedRange() {
        assertThat(POLICIES.refusal("vllm.svc.example", address("192.0.2.1"))).isEmpty();
        assertThat(POLICIES.refusal("vllm.svc.example", address("fd00:ec2::254")))
                .map(refused -> refused.refusal().reason()).hasValue("metadata");
    }

    private static Endpoint endpoint(String id, String url, String pool) {
        return Endpoint.builder(id, URI.create(url)).pool(pool).build();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}
