package io.infergate.loadgen.bench;

import io.infergate.loadgen.TestInferenceServer;
import io.infergate.loadgen.TestInferenceServer.Behaviour;
import io.infergate.loadgen.scenario.BuiltInScenarios;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A fleet of {@link TestInferenceServer}s standing in for the emulator, whatever the spec asks. */
final class TestFleet implements BenchFleet {

    private final List<TestInferenceServer> servers = new ArrayList<>();
    private final List<FleetMember> members = new ArrayList<>();

    /** Three servers: first token after 20 ms, then one every 2 ms, at most 20 tokens. */
    static BenchFleet start(FleetSpec ignored) {
        return new TestFleet(3, new Behaviour.Generate(20, 2, 20));
    }

    private TestFleet(int count, Behaviour behaviour) {
        for (int i = 0; i < count; i++) {
            TestInferenceServer server = TestInferenceServer.start(Map.of(BuiltInScenarios.MODEL, behaviour));
            servers.add(server);
            members.add(new FleetMember("test-" + (i + 1), server.url(), "eu-west", 1.0));
        }
    }

    @Override
    public List<FleetMember> members() {
        return members;
    }

    @Override
    public String description() {
        return servers.size() + " test servers";
    }

    /** A made-up capacity whose 70 % (steady) the test machine sends and answers easily. */
    @Override
    public double capacityRps(double meanPromptTokens, double meanOutputTokens) {
        return 40;
    }

    @Override
    public double speed() {
        return 1;
    }

    @Override
    public void close() {
        servers.forEach(TestInferenceServer::close);
    }
}
