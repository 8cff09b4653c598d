package io.infergate.emulator;

import io.infergate.core.fleet.Accelerator;
import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.SiteKind;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Several emulated servers started together, each with what a gateway's configuration says about it
 * (region, site, accelerator, price). {@link #demo} is the heterogeneous fleet of the demo and the
 * benchmarks.
 *
 * <pre>{@code
 * try (EmulatedFleet fleet = EmulatedFleet.demo(10.0)) {
 *     for (EmulatedFleet.Member m : fleet.members()) {
 *         System.out.println(m.id() + " " + m.region() + " " + m.profile() + " " + m.url());
 *     }
 *     fleet.server("edge-paris-l4").faults().errorRate(0.5);
 *     List<Endpoint> endpoints = fleet.endpoints("chat");
 * }
 * }</pre>
 */
public final class EmulatedFleet implements AutoCloseable {

    /** The model every demo member serves. */
    public static final String DEMO_MODEL = "llama-3.1-8b-instruct";

    /**
     * One server of the fleet and what it pretends to be. Before the fleet starts, its options may ask
     * for port 0; the members of a started fleet carry the port their server bound.
     *
     * @param id           unique endpoint id, e.g. {@code eu-west-a100}
     * @param region       pretend region, e.g. {@code eu-west}
     * @param site         cloud, on-premises or edge
     * @param accelerator  GPU type and count
     * @param pricePerHour dollars per hour
     * @param egressPerGb  dollars per GB leaving the site
     * @param capacity     dedicated or preemptible
     * @param options      how the server is started
     */
    public record Member(String id, String region, SiteKind site, Accelerator accelerator, double pricePerHour,
                         double egressPerGb, CapacityKind capacity, EmulatorOptions options) {

        public Member {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(site, "site");
            Objects.requireNonNull(accelerator, "accelerator");
            Objects.requireNonNull(capacity, "capacity");
            Objects.requireNonNull(options, "options");
        }

        /** Base URL of the member's server; see {@link EmulatorOptions#url()}. */
        public URI url() {
            return options.url();
        }

        /** Name of the engine profile, e.g. {@code l4-llama3-8b}. */
        public String profile() {
            return options.profile().name();
        }

        /** The member as a gateway endpoint in {@code pool}, its server type the emulator's flavour. */
        public Endpoint endpoint(String pool) {
            return Endpoint.builder(id, url())
                    .pool(pool)
                    .serverType(options.flavor().configName())
                    .models(new LinkedHashSet<>(options.models()))
                    .region(region)
                    .site(site)
                    .accelerator(accelerator)
                    .pricePerHour(pricePerHour)
                    .egressPerGb(egressPerGb)
                    .capacity(capacity)
                    .build();
        }

        private Member on(EmulatorServer server) {
            return new Member(id, region, site, accelerator, pricePerHour, egressPerGb, capacity, server.options());
        }
    }

    private final List<Member> members;
    private final Map<String, EmulatorServer> servers;

    private EmulatedFleet(List<Member> members, Map<String, EmulatorServer> servers) {
        this.members = List.copyOf(members);
        this.servers = servers;
    }

    /** Starts every member, in order; if one fails, stops those already started and rethrows. */
    public static EmulatedFleet start(List<Member> members) {
        List<Member> started = new ArrayList<>();
        Map<String, EmulatorServer> servers = new LinkedHashMap<>();
        try {
            for (Member member : members) {
                if (servers.containsKey(member.id())) {
                    throw new IllegalArgumentException("member id: " + member.id() + " (expected: unique)");
                }
                EmulatorServer server = EmulatorServer.start(member.options());
                servers.put(member.id(), server);
                started.add(member.on(server));
            }
        } catch (RuntimeException e) {
            servers.values().forEach(EmulatorServer::close);
            throw e;
        }
        return new EmulatedFleet(started, servers);
    }

    /** Starts {@link #demoMembers} at {@code speed}. */
    public static EmulatedFleet demo(double speed) {
        return start(demoMembers(speed));
    }

    /**
     * The demo fleet, all serving {@link #DEMO_MODEL} on free loopback ports: an A100 and an on-premises
     * A100 in eu-west, an H100 and a preemptible A10G in us-east, and an L4 at the edge in Paris whose
     * decode steps are almost seven times slower than the A100's.
     */
    public static List<Member> demoMembers(double speed) {
        return List.of(
                member("eu-west-a100", "eu-west", SiteKind.CLOUD, "NVIDIA_A100", 2.10, 0.09, CapacityKind.DEDICATED,
                        "a100-llama3-8b", speed, 1),
                member("eu-west-onprem-a100", "eu-west", SiteKind.ONPREM, "NVIDIA_A100", 1.20, 0.0,
                        CapacityKind.DEDICATED, "a100-llama3-8b", speed, 2),
                member("us-east-h100", "us-east", SiteKind.CLOUD, "NVIDIA_H100", 3.20, 0.09, CapacityKind.DEDICATED,
                        "h100-llama3-8b", speed, 3),
                member("us-east-a10g-spot", "us-east", SiteKind.CLOUD, "NVIDIA_A10G", 0.45, 0.09,
                        CapacityKind.PREEMPTIBLE, "a10g-mistral-7b", speed, 4),
                member("edge-paris-l4", "edge-paris", SiteKind.EDGE, "NVIDIA_L4", 0.80, 0.02, CapacityKind.DEDICATED,
                        "l4-llama3-8b", speed, 5));
    }

    /** The started members, with the ports their servers bound. */
    public List<Member> members() {
        return members;
    }

    /** The member with this id. */
    public Member member(String id) {
        return members.stream().filter(m -> m.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("member: " + id + " (expected one of: "
                        + String.join(", ", members.stream().map(Member::id).toList()) + ")"));
    }

    /** The server of the member with this id, e.g. to inject faults. */
    public EmulatorServer server(String id) {
        return servers.get(member(id).id());
    }

    /** Every member as a gateway endpoint in {@code pool}. */
    public List<Endpoint> endpoints(String pool) {
        return members.stream().map(m -> m.endpoint(pool)).toList();
    }

    /** Stops every server; returns once all are stopped. */
    @Override
    public void close() {
        servers.values().forEach(EmulatorServer::close);
    }

    private static Member member(String id, String region, SiteKind site, String gpu, double pricePerHour,
                                 double egressPerGb, CapacityKind capacity, String profile, double speed, long seed) {
        EmulatorOptions options = EmulatorOptions.builder()
                .port(0).host("127.0.0.1").profile(profile).speed(speed)
                .models(List.of(DEMO_MODEL)).seed(seed)
                .build();
        return new Member(id, region, site, new Accelerator(gpu, 1), pricePerHour, egressPerGb, capacity, options);
    }
}
