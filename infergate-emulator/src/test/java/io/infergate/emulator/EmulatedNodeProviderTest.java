package io.infergate.emulator;

import io.infergate.core.engine.SchedulingPolicy;
import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.scale.NodeProvider;
import io.infergate.core.scale.NodeProviders;
import io.infergate.core.scale.NodeSpec;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmulatedNodeProviderTest {

    private static final NodeSpec SPEC = new NodeSpec("chat-auto-1", "chat", Set.of("llama-3.1-8b-instruct"), "eu-west",
            CapacityKind.PREEMPTIBLE, 0.8);

    /** Speed 1000: the 10–60 s start-up delay becomes 10–60 ms, the 30 s preemption notice 30 ms. */
    private static EmulatedNodeProvider provider() {
        return new EmulatedNodeProvider(EmulatorOptions.builder().speed(1000).build(),
                Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30), 7);
    }

    @Test
    void startsAServingNodeAfterItsScaledStartUpDelayAndStopsIt() throws Exception {
        try (EmulatedNodeProvider provider = provider()) {
            long before = System.nanoTime();
            Endpoint node = provider.start(SPEC).toCompletableFuture().get(5, TimeUnit.SECONDS);
            long tookMillis = (System.nanoTime() - before) / 1_000_000;

            assertThat(tookMillis).isGreaterThanOrEqualTo(10);
            assertThat(node.id()).isEqualTo("chat-auto-1");
            assertThat(node.pool()).isEqualTo("chat");
            assertThat(node.region()).isEqualTo("eu-west");
            assertThat(node.capacity()).isEqualTo(CapacityKind.PREEMPTIBLE);
            assertThat(node.pricePerHour()).isEqualTo(0.8);
            assertThat(TestHttp.get(node.url(), "/health").statusCode()).isEqualTo(200);

            provider.stop(node).toCompletableFuture().get(5, TimeUnit.SECONDS);

            assertThatThrownBy(() -> TestHttp.get(node.url(), "/health")).isInstanceOf(ConnectException.class);
        }
    }

    @Test
    void aPreemptionWarnsTheListenersThenTheNodeVanishes() throws Exception {
        try (EmulatedNodeProvider provider = provider()) {
            List<String> warned = new CopyOnWriteArrayList<>();
            provider.onPreemption(warned::add);
            Endpoint node = provider.start(SPEC).toCompletableFuture().get(5, TimeUnit.SECONDS);

            var gone = provider.preempt(node.id());

            assertThat(warned).containsExactly("chat-auto-1");
            gone.toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(provider.server(node.id())).isEmpty();
            assertThatThrownBy(() -> TestHttp.get(node.url(), "/health")).isInstanceOf(IOException.class);
        }
    }

    @Test
    void itsNodesScheduleByPriorityWhenTheSettingsSaySo() throws Exception {
        try (EmulatedNodeProvider provider = (EmulatedNodeProvider) NodeProviders.create("emulated", Map.of(
                "speed", "1000", "startup_min_ms", "10", "startup_max_ms", "20", "scheduling_policy", "priority"))) {
            Endpoint node = provider.start(SPEC).toCompletableFuture().get(5, TimeUnit.SECONDS);

            assertThat(provider.server(node.id()).orElseThrow().options().schedulingPolicy())
                    .isEqualTo(SchedulingPolicy.PRIORITY);
        }
        assertThatThrownBy(() -> NodeProviders.create("emulated", Map.of("scheduling_policy", "lifo")))
                .hasMessage("provider emulated: scheduling policy: lifo (expected: fcfs or priority)");
    }

    @Test
    void isFoundByTypeAndRejectsUnknownSettings() {
        try (NodeProvider provider = NodeProviders.create("emulated", Map.of("speed", "100", "startup_max_ms", "20000"))) {
            assertThat(provider).isInstanceOf(EmulatedNodeProvider.class);
        }
        assertThatThrownBy(() -> NodeProviders.create("emulated", Map.of("sped", "100")))
                .hasMessageStartingWith("provider emulated: unknown settings [sped] (expected: [");
        assertThatThrownBy(() -> NodeProviders.create("emulated", Map.of("speed", "fast")))
                .hasMessage("provider emulated: speed: fast (expected: a number from 0.001 to 1000000.0)");
    }
}
