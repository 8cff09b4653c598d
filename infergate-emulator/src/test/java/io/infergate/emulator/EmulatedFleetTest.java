package io.infergate.emulator;

import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.SiteKind;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmulatedFleetTest {

    @Test
    void theDemoFleetIsHeterogeneousAndEveryMemberAnswers() throws Exception {
        try (EmulatedFleet fleet = EmulatedFleet.demo(10.0)) {
            List<EmulatedFleet.Member> members = fleet.members();

            assertThat(members).hasSizeGreaterThanOrEqualTo(4);
            assertThat(members).extracting(m -> m.options().port()).doesNotHaveDuplicates().doesNotContain(0);
            assertThat(members).extracting(EmulatedFleet.Member::profile)
                    .contains("a100-llama3-8b", "h100-llama3-8b", "l4-llama3-8b");
            assertThat(members).extracting(EmulatedFleet.Member::region).contains("eu-west", "us-east", "edge-paris");
            for (EmulatedFleet.Member member : members) {
                assertThat(TestHttp.get(member.url(), "/health").statusCode()).isEqualTo(200);
                assertThat(fleet.server(member.id()).url()).isEqualTo(member.url());
                assertThat(member.options().speed()).isEqualTo(10.0);
            }
        }
    }

    @Test
    void membersBecomeGatewayEndpoints() {
        try (EmulatedFleet fleet = EmulatedFleet.demo(1.0)) {
            Endpoint edge = fleet.member("edge-paris-l4").endpoint("chat");

            assertThat(edge.url()).isEqualTo(fleet.member("edge-paris-l4").url());
            assertThat(edge.pool()).isEqualTo("chat");
            assertThat(edge.serverType()).isEqualTo("vllm");
            assertThat(edge.models()).containsExactly(EmulatedFleet.DEMO_MODEL);
            assertThat(edge.site()).isEqualTo(SiteKind.EDGE);
            assertThat(edge.accelerator().type()).isEqualTo("NVIDIA_L4");
            assertThat(edge.pricePerHour()).isEqualTo(0.80);
            assertThat(fleet.endpoints("chat")).extracting(Endpoint::capacity).contains(CapacityKind.PREEMPTIBLE);
        }
    }

    @Test
    void theSlowMemberIsClearlySlower() throws Exception {
        try (EmulatedFleet fleet = EmulatedFleet.demo(10.0)) {
            replyMillis(fleet.member("eu-west-a100")); // warm up connections and code paths
            replyMillis(fleet.member("edge-paris-l4"));

            double a100 = replyMillis(fleet.member("eu-west-a100"));
            double l4 = replyMillis(fleet.member("edge-paris-l4"));

            assertThat(l4).isGreaterThan(3 * a100); // 30 steps: about 30 ms against 200 ms
        }
    }

    @Test
    void aMemberBeforeTheStartHasNoUrlYet() {
        EmulatedFleet.Member planned = EmulatedFleet.demoMembers(1.0).getFirst();

        assertThatThrownBy(planned::url)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("url: port 0 (expected: the port bound; ask the started server)");
    }

    @Test
    void faultsReachOneMembersServer() throws Exception {
        try (EmulatedFleet fleet = EmulatedFleet.start(EmulatedFleet.demoMembers(10.0).subList(0, 2))) {
            fleet.server("eu-west-a100").faults().errorRate(1.0);

            assertThat(TestHttp.post(fleet.member("eu-west-a100").url(), "/v1/completions", "{\"prompt\":\"x\"}")
                    .statusCode()).isEqualTo(500);
            assertThat(TestHttp.post(fleet.member("eu-west-onprem-a100").url(), "/v1/completions",
                    "{\"prompt\":\"x\",\"max_tokens\":2}").statusCode()).isEqualTo(200);
        }
    }

    @Test
    void anUnknownMemberIdListsTheKnownOnes() {
        try (EmulatedFleet fleet = EmulatedFleet.start(List.of(EmulatedFleet.demoMembers(1.0).getFirst()))) {
            assertThatThrownBy(() -> fleet.member("nope"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("member: nope (expected one of: eu-west-a100)");
        }
    }

    private static double replyMillis(EmulatedFleet.Member member) throws Exception {
        long start = System.nanoTime();
        int status = TestHttp.post(member.url(), "/v1/completions", "{\"prompt\":\"hello\",\"max_tokens\":30}").statusCode();
        assertThat(status).isEqualTo(200);
        return (System.nanoTime() - start) / 1e6;
    }
}
