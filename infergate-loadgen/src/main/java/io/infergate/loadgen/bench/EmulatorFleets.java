package io.infergate.loadgen.bench;

import io.infergate.core.engine.EngineProfile;
import io.infergate.core.engine.EngineProfiles;
import io.infergate.emulator.EmulatedFleet;
import io.infergate.emulator.EmulatorOptions;
import io.infergate.emulator.FaultSettings;
import io.infergate.loadgen.scenario.BuiltInScenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bench's fleets, made of infergate emulators running in this JVM.
 *
 * <pre>{@code
 * BenchOptions options = BenchOptions.builder(BenchScenario.STEADY, out, EmulatorFleets::start).build();
 * }</pre>
 */
public final class EmulatorFleets {

    private EmulatorFleets() {
    }

    public static BenchFleet start(FleetSpec spec) {
        return switch (spec) {
            case FleetSpec.Demo demo -> new Emulated(EmulatedFleet.start(demoMembers(demo)), demo.speed(),
                    String.format(Locale.ROOT, "the demo fleet (2× A100, H100, A10G, L4), %s× real time, at most %d sequences per server",
                            number(demo.speed()), demo.maxNumSeqs()));
            case FleetSpec.Uniform uniform -> new Emulated(EmulatedFleet.start(members(uniform.servers(), "node",
                    EmulatorOptions.builder().profile(EngineProfiles.A100_LLAMA3_8B).speed(uniform.speed())
                            .maxNumSeqs(uniform.maxNumSeqs()).dcgm(uniform.gpuFigures()))), uniform.speed(),
                    String.format(Locale.ROOT, "%d A100s (profile %s), %s× real time, at most %d sequences per server%s",
                            uniform.servers(), EngineProfiles.A100_LLAMA3_8B.name(), number(uniform.speed()),
                            uniform.maxNumSeqs(), uniform.gpuFigures() ? ", DCGM figures" : ""));
            case FleetSpec.Instant instant -> new Emulated(EmulatedFleet.start(members(instant.servers(), "instant",
                    EmulatorOptions.builder().profile(EngineProfiles.INSTANT))), 1,
                    instant.servers() + " emulators answering at once (profile instant)");
            case FleetSpec.SlowStreams slow -> new Emulated(EmulatedFleet.start(members(slow.servers(), "streams",
                    EmulatorOptions.builder().profile(EngineProfiles.INSTANT).decodeStepMillis(slow.tokenIntervalMillis()))), 1,
                    slow.servers() + " emulators holding up to " + EngineProfiles.INSTANT.maxNumSeqs()
                            + " streams each, one token every " + slow.tokenIntervalMillis() + " ms");
            case FleetSpec.Replicas r -> new Emulated(EmulatedFleet.start(members(r.servers(), "a100",
                    EmulatorOptions.builder().profile(replicaProfile(r)).speed(r.speed()).prefixCaching(r.prefixCacheTokens() > 0))),
                    r.speed(), String.format(Locale.ROOT, "%d× A100 (Llama-3-8B), %s× real time, %s", r.servers(),
                    number(r.speed()), r.prefixCacheTokens() > 0
                            ? "prefix caching on, " + r.prefixCacheTokens() + " KV-cache tokens each" : "no prefix caching"));
        };
    }

    private static EngineProfile replicaProfile(FleetSpec.Replicas r) {
        return r.prefixCacheTokens() > 0
                ? EngineProfiles.A100_LLAMA3_8B.toBuilder().kvCacheTokens(r.prefixCacheTokens()).build()
                : EngineProfiles.A100_LLAMA3_8B;
    }

    /** The demo's members, with the running batch bounded as the spec says. */
    private static List<EmulatedFleet.Member> demoMembers(FleetSpec.Demo demo) {
        List<EmulatedFleet.Member> members = new ArrayList<>();
        for (EmulatedFleet.Member m : EmulatedFleet.demoMembers(demo.speed())) {
            EmulatorOptions o = m.options();
            EmulatorOptions bounded = o.withProfile(o.profile().toBuilder().maxNumSeqs(demo.maxNumSeqs()).build());
            members.add(new EmulatedFleet.Member(m.id(), m.region(), m.site(), m.accelerator(), m.pricePerHour(),
                    m.egressPerGb(), m.capacity(), bounded));
        }
        return members;
    }

    private static List<EmulatedFleet.Member> members(int count, String prefix, EmulatorOptions.Builder options) {
        EmulatedFleet.Member template = EmulatedFleet.demoMembers(1).getFirst();
        List<EmulatedFleet.Member> members = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            EmulatorOptions o = options.host("127.0.0.1").port(0).models(List.of(BuiltInScenarios.MODEL)).seed(i).build();
            members.add(new EmulatedFleet.Member(prefix + "-" + i, template.region(), template.site(),
                    template.accelerator(), template.pricePerHour(), template.egressPerGb(), template.capacity(), o));
        }
        return members;
    }

    private static String number(double x) {
        return x == Math.rint(x) ? String.valueOf((long) x) : String.valueOf(x);
    }

    /** An {@link EmulatedFleet} seen as a bench fleet. */
    private record Emulated(EmulatedFleet fleet, double speed, String description) implements BenchFleet {

        @Override
        public List<FleetMember> members() {
            return fleet.members().stream().map(m -> new FleetMember(m.id(), m.url(), m.region(), m.pricePerHour()))
                    .toList();
        }

        /**
         * Sum over servers of one request's share of a full server: each step decodes {@code maxNumSeqs}
         * tokens and costs {@code stepBase + maxNumSeqs × stepPerSeq}; the prompt costs
         * {@code prefillPerToken} per token on top. A server whose steps cost nothing counts as unbounded.
         */
        @Override
        public double capacityRps(double meanPromptTokens, double meanOutputTokens) {
            double total = 0;
            for (EmulatedFleet.Member m : fleet.members()) {
                EngineProfile p = m.options().profile();
                double stepNanos = p.stepBaseNanos() + (double) p.maxNumSeqs() * p.stepNanosPerSeq();
                double nanosPerRequest = meanOutputTokens * stepNanos / p.maxNumSeqs()
                        + meanPromptTokens * p.prefillNanosPerToken();
                if (nanosPerRequest <= 0) {
                    return Double.POSITIVE_INFINITY;
                }
                total += m.options().speed() * 1e9 / nanosPerRequest;
            }
            return total;
        }

        @Override
        public void setFaults(String memberId, FaultSettings faults) {
            fleet.server(memberId).faults().set(faults);
        }

        @Override
        public void close() {
            fleet.close();
        }
    }
}
