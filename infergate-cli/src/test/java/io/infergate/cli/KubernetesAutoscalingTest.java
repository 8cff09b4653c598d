package io.infergate.cli;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.infergate.core.fleet.FleetSnapshot;
import io.infergate.emulator.EmulatorOptions;
import io.infergate.emulator.EmulatorServer;
import io.infergate.gateway.Gateway;
import io.infergate.gateway.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gateway's autoscaler with the kubernetes provider against the mock API server: the test plays
 * the kubelet (the shipped vLLM pod turns Ready at 127.0.0.1) and an emulator plays the pod's inference
 * server. It lives here, where the jar assembles the gateway and the provider found by ServiceLoader.
 */
@EnableKubernetesMockClient(https = false, crud = true)
@Timeout(60)
class KubernetesAutoscalingTest {

    private static final String MODEL = "llama-3.1-8b-instruct";

    KubernetesMockServer server;
    KubernetesClient client;

    @Test
    void aNodeStartedThroughTheKubernetesApiJoinsTheFleetAndServesRequests() throws Exception {
        Path template = Path.of("../deploy/kubernetes/vllm-pod.yaml");
        try (EmulatorServer podServer = EmulatorServer.start(EmulatorOptions.builder().host("127.0.0.1").port(0).speed(20)
                .models(List.of(MODEL)).build());
             EmulatorServer staticServer = EmulatorServer.start(EmulatorOptions.builder().host("127.0.0.1").port(0).speed(20)
                     .models(List.of(MODEL)).build());
             Gateway gateway = Gateway.start(ConfigLoader.parse("""
                     listen: {host: 127.0.0.1, port: 0, admin_port: 0}
                     scrape: {interval_ms: 50}
                     autoscaler:
                       pool: chat
                       provider: {type: kubernetes, master_url: "%s", namespace: infer, pod_template: "%s", port: %d}
                       min_nodes: 2
                       interval_ms: 50
                     pools:
                       - name: chat
                         models: [%s]
                         endpoints:
                           - {id: static-0, url: "%s"}
                     """.formatted(client.getMasterUrl(), template, podServer.port(), MODEL, staticServer.url()),
                     "gateway.yaml"))) {
            var pod = client.pods().inNamespace("infer").withName("chat-auto-1");
            pod.waitUntilCondition(Objects::nonNull, 20, TimeUnit.SECONDS);
            assertThat(gateway.fleet().snapshot().slotOf("chat-auto-1")).isNegative();

            pod.editStatus(p -> new PodBuilder(p).withNewStatus().withPhase("Running").withPodIP("127.0.0.1")
                    .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus().build());

            awaitFleet(gateway, fleet -> fleet.slotOf("chat-auto-1") >= 0);
            FleetSnapshot fleet = gateway.fleet().snapshot();
            assertThat(fleet.endpoint(fleet.slotOf("chat-auto-1")).url())
                    .isEqualTo(URI.create("http://127.0.0.1:" + podServer.port()));
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            Set<String> servedBy = new HashSet<>();
            for (int i = 0; i < 40 && !servedBy.contains("chat-auto-1"); i++) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + gateway.port() + "/v1/chat/completions"))
                        .timeout(Duration.ofSeconds(30)).header("content-type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + MODEL
                                + "\",\"max_tokens\":4,\"messages\":[{\"role\":\"user\",\"content\":\"hello " + i + "\"}]}"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                servedBy.add(response.headers().firstValue("x-infergate-endpoint").orElseThrow());
            }
            assertThat(servedBy).contains("chat-auto-1");
        }
    }

    private static void awaitFleet(Gateway gateway, java.util.function.Predicate<FleetSnapshot> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.test(gateway.fleet().snapshot())) {
            assertThat(System.nanoTime()).as("fleet never reached the expected state: %s",
                    gateway.fleet().snapshot().endpoints()).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
