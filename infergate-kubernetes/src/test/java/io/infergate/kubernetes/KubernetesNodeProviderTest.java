package io.infergate.kubernetes;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.scale.NodeProvider;
import io.infergate.core.scale.NodeProviders;
import io.infergate.core.scale.NodeSpec;
import io.infergate.core.scale.RegionRoom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The provider against fabric8's mock API server; the tests play the kubelet by writing pod status. */
@EnableKubernetesMockClient(https = false, crud = true)
@Timeout(30)
class KubernetesNodeProviderTest {

    static final String TEMPLATE = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: ignored
              labels: {app: vllm}
            spec:
              containers:
                - name: vllm
                  image: vllm/vllm-openai:v0.11.0
                  args: ["--model", "meta-llama/Llama-3.1-8B-Instruct"]
                  ports: [{containerPort: 8000}]
              nodeSelector: {gpu: "true"}
            """;
    private static final NodeSpec SPOT = new NodeSpec("chat-auto-1", "chat", Set.of("llama-3.1-8b-instruct"), "eu-west",
            CapacityKind.PREEMPTIBLE, 0.8);
    private static final NodeSpec DEDICATED = new NodeSpec("chat-auto-2", "chat", Set.of("llama-3.1-8b-instruct"),
            "eu-west", CapacityKind.DEDICATED, 2.1);

    KubernetesMockServer server;
    KubernetesClient client;
    @TempDir
    Path dir;

    private NodeProvider provider(Map<String, String> extra) throws IOException {
        Path template = dir.resolve("pod.yaml");
        Files.writeString(template, TEMPLATE);
        Map<String, String> settings = new HashMap<>(Map.of("master_url", client.getMasterUrl().toString(),
                "namespace", "infer", "pod_template", template.toString(),
                "preemptible_node_selector", "cloud.google.com/gke-spot=true",
                "preemptible_tolerations", "cloud.google.com/gke-spot=true:NoSchedule, nvidia.com/gpu"));
        settings.putAll(extra);
        return NodeProviders.create("kubernetes", settings);
    }

    private Pod awaitPod(String name) throws InterruptedException {
        return await(name, Objects::nonNull);
    }

    private void awaitGone(String name) throws InterruptedException {
        await(name, Objects::isNull);
    }

    /**
     * Polls the pod until {@code condition} holds. Polled, not watched (as {@code waitUntilCondition} does): a
     * test's watch still closing when the provider deletes a pod made fabric8's mock server hang on shutdown.
     */
    private Pod await(String name, Predicate<Pod> condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            Pod pod = client.pods().inNamespace("infer").withName(name).get();
            if (condition.test(pod)) {
                return pod;
            }
            assertThat(System.nanoTime()).as("pod %s: condition not met within 10 s, last %s", name, pod)
                    .isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    /** Writes the pod's status as a kubelet would. */
    private void kubelet(String name, UnaryOperator<PodBuilder> status) {
        client.pods().inNamespace("infer").withName(name).editStatus(pod -> status.apply(new PodBuilder(pod)).build());
    }

    private static PodBuilder ready(PodBuilder pod) {
        return pod.withNewStatus().withPhase("Running").withPodIP("127.0.0.1")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().endStatus();
    }

    /** Starts a node and plays the kubelet making its pod Ready. */
    private Endpoint startServing(NodeProvider provider, NodeSpec spec) throws Exception {
        CompletableFuture<Endpoint> started = provider.start(spec).toCompletableFuture();
        awaitPod(spec.id());
        kubelet(spec.id(), KubernetesNodeProviderTest::ready);
        return await(started);
    }

    private static <T> T await(CompletableFuture<T> stage) throws Exception {
        return stage.get(10, TimeUnit.SECONDS);
    }

    private static Throwable failureOf(CompletableFuture<?> stage) {
        assertThatThrownBy(() -> stage.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        return stage.handle((value, failure) -> failure).join();
    }

    @Test
    void startMakesALabelledPodFromTheTemplateAndServesOnceItIsReady() throws Exception {
        try (NodeProvider provider = provider(Map.of("port", "8123"))) {
            CompletableFuture<Endpoint> started = provider.start(SPOT).toCompletableFuture();

            Pod pod = awaitPod("chat-auto-1");
            assertThat(pod.getSpec().getContainers()).singleElement().satisfies(c -> {
                assertThat(c.getImage()).isEqualTo("vllm/vllm-openai:v0.11.0");
                assertThat(c.getArgs()).containsExactly("--model", "meta-llama/Llama-3.1-8B-Instruct");
            });
            assertThat(pod.getMetadata().getLabels()).containsEntry("app", "vllm")
                    .containsEntry("app.kubernetes.io/managed-by", "infergate").containsEntry("infergate.io/pool", "chat")
                    .containsEntry("infergate.io/node", "chat-auto-1").containsEntry("infergate.io/capacity", "preemptible");
            assertThat(pod.getMetadata().getAnnotations()).containsEntry("infergate.io/node-id", "chat-auto-1")
                    .containsEntry("infergate.io/models", "llama-3.1-8b-instruct");
            assertThat(pod.getSpec().getNodeSelector())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("gpu", "true", "cloud.google.com/gke-spot", "true"));
            assertThat(pod.getSpec().getTolerations()).extracting(Toleration::getKey, Toleration::getOperator,
                            Toleration::getValue, Toleration::getEffect)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("cloud.google.com/gke-spot", "Equal", "true", "NoSchedule"),
                            org.assertj.core.groups.Tuple.tuple("nvidia.com/gpu", "Exists", null, null));
            assertThat(started).isNotDone();

            kubelet("chat-auto-1", KubernetesNodeProviderTest::ready);

            Endpoint node = await(started);
            assertThat(node.id()).isEqualTo("chat-auto-1");
            assertThat(node.url()).isEqualTo(URI.create("http://127.0.0.1:8123"));
            assertThat(node.pool()).isEqualTo("chat");
            assertThat(node.models()).containsExactly("llama-3.1-8b-instruct");
            assertThat(node.region()).isEqualTo("eu-west");
            assertThat(node.capacity()).isEqualTo(CapacityKind.PREEMPTIBLE);
            assertThat(node.pricePerHour()).isEqualTo(0.8);
        }
    }

    @Test
    void aDedicatedNodeGetsTheDedicatedRulesOnly() throws Exception {
        try (NodeProvider provider = provider(Map.of("dedicated_node_selector", "pool=on-demand"))) {
            provider.start(DEDICATED);

            Pod pod = awaitPod("chat-auto-2");
            assertThat(pod.getSpec().getNodeSelector())
                    .containsExactlyInAnyOrderEntriesOf(Map.of("gpu", "true", "pool", "on-demand"));
            assertThat(pod.getSpec().getTolerations()).isNullOrEmpty();
            assertThat(pod.getMetadata().getLabels()).containsEntry("infergate.io/capacity", "dedicated");
        }
    }

    @Test
    void theRegionAndZoneComeFromTheKubernetesNodeUnlessARegionIsConfigured() throws Exception {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("gpu-node-7")
                .addToLabels("topology.kubernetes.io/region", "europe-west4")
                .addToLabels("topology.kubernetes.io/zone", "europe-west4-b").endMetadata().build()).create();
        try (NodeProvider provider = provider(Map.of())) {
            CompletableFuture<Endpoint> started = provider.start(SPOT).toCompletableFuture();
            awaitPod("chat-auto-1");
            client.pods().inNamespace("infer").withName("chat-auto-1")
                    .edit(pod -> new PodBuilder(pod).editSpec().withNodeName("gpu-node-7").endSpec().build());
            kubelet("chat-auto-1", KubernetesNodeProviderTest::ready);

            Endpoint node = await(started);
            assertThat(node.region()).isEqualTo("europe-west4");
            assertThat(node.zone()).isEqualTo("europe-west4-b");
        }
        try (NodeProvider provider = provider(Map.of("region", "eu-central"))) {
            assertThat(provider.room("eu-west")).containsExactly(RegionRoom.unlimited("eu-central"));
            assertThat(startServing(provider, DEDICATED).region()).isEqualTo("eu-central");
        }
    }

    @Test
    void aFailedPodFailsTheStartWithItsReasonAndIsDeleted() throws Exception {
        try (NodeProvider provider = provider(Map.of())) {
            CompletableFuture<Endpoint> started = provider.start(SPOT).toCompletableFuture();
            awaitPod("chat-auto-1");

            kubelet("chat-auto-1", pod -> pod.withNewStatus().withPhase("Failed").withReason("UnexpectedAdmissionError")
                    .withMessage("Allocate failed due to no healthy devices present").endStatus());

            assertThat(failureOf(started)).hasMessage("pod infer/chat-auto-1 for node chat-auto-1 failed: reason "
                    + "UnexpectedAdmissionError; Allocate failed due to no healthy devices present; deleted it");
            assertThat(client.pods().inNamespace("infer").withName("chat-auto-1").get()).isNull();
        }
    }

    /**
     * What the message says it last saw is the informer's cache at the deadline, which on a busy machine
     * may not hold the status the test wrote yet (PodStatusesTest checks how a status reads).
     */
    @Test
    void aPodNotReadyInTimeFailsTheStartSayingWhatItWaitsForAndIsDeleted() throws Exception {
        try (NodeProvider provider = provider(Map.of("ready_timeout_ms", "3000"))) {
            CompletableFuture<Endpoint> started = provider.start(SPOT).toCompletableFuture();
            awaitPod("chat-auto-1");
            kubelet("chat-auto-1", pod -> pod.withNewStatus().withPhase("Pending")
                    .addNewCondition().withType("PodScheduled").withStatus("False").withReason("Unschedulable")
                    .withMessage("0/3 nodes are available").endCondition().endStatus());

            assertThat(failureOf(started)).hasMessageStartingWith("pod infer/chat-auto-1 for node chat-auto-1 not Ready within "
                    + "3000 ms (provider.ready_timeout_ms); last seen: ").hasMessageEndingWith("; deleted it");
            assertThat(client.pods().inNamespace("infer").withName("chat-auto-1").get()).isNull();
        }
    }

    /**
     * The mock answers the read of the node's labels five seconds late: a delete or a disruption that comes
     * meanwhile fails the start, where it used to be lost and the start handed out a gone pod's endpoint.
     */
    @Test
    void aPodDeletedOrDisruptedWhileItsStartCompletesFailsTheStart() throws Exception {
        server.expect().get().delay(5, TimeUnit.SECONDS).withPath("/api/v1/nodes/gpu-node-7")
                .andReturn(200, new NodeBuilder().withNewMetadata().withName("gpu-node-7").endMetadata().build()).always();
        try (NodeProvider provider = provider(Map.of())) {
            List<String> warned = new CopyOnWriteArrayList<>();
            provider.onPreemption(warned::add);

            CompletableFuture<Endpoint> deleted = readyWhileItsNodeIsRead(provider, SPOT);
            client.pods().inNamespace("infer").withName("chat-auto-1").delete();

            assertThat(failureOf(deleted))
                    .hasMessage("pod infer/chat-auto-1 for node chat-auto-1 was deleted by someone else before it served");

            CompletableFuture<Endpoint> disrupted = readyWhileItsNodeIsRead(provider, DEDICATED);
            kubelet("chat-auto-2", pod -> pod.editStatus().addNewCondition().withType("DisruptionTarget").withStatus("True")
                    .withReason("PreemptionByScheduler").endCondition().endStatus());

            assertThat(failureOf(disrupted)).hasMessage("pod infer/chat-auto-2 for node chat-auto-2 is being disrupted "
                    + "(DisruptionTarget) before it served; deleted it");
            awaitGone("chat-auto-2");
            assertThat(warned).as("no preemption of a node that never served").isEmpty();
        }
    }

    /** Starts a node on Kubernetes node gpu-node-7, makes its pod Ready and returns once the provider reads that node. */
    private CompletableFuture<Endpoint> readyWhileItsNodeIsRead(NodeProvider provider, NodeSpec spec) throws Exception {
        CompletableFuture<Endpoint> started = provider.start(spec).toCompletableFuture();
        awaitPod(spec.id());
        client.pods().inNamespace("infer").withName(spec.id())
                .edit(pod -> new PodBuilder(pod).editSpec().withNodeName("gpu-node-7").endSpec().build());
        kubelet(spec.id(), KubernetesNodeProviderTest::ready);
        while (true) {
            var request = server.takeRequest(10, TimeUnit.SECONDS);
            assertThat(request).as("the provider reads node gpu-node-7").isNotNull();
            if (request.getPath().startsWith("/api/v1/nodes/gpu-node-7")) {
                return started;
            }
        }
    }

    @Test
    void stopDeletesThePodAndCompletesOnceItIsGone() throws Exception {
        try (NodeProvider provider = provider(Map.of())) {
            Endpoint node = startServing(provider, SPOT);

            await(provider.stop(node).toCompletableFuture());

            assertThat(client.pods().inNamespace("infer").withName("chat-auto-1").get()).isNull();
        }
    }

    @Test
    void closingLeavesServingPodsAndALaterProviderStopsThemByNodeId() throws Exception {
        Endpoint node;
        try (NodeProvider provider = provider(Map.of())) {
            node = startServing(provider, SPOT);
        }
        assertThat(client.pods().inNamespace("infer").withName("chat-auto-1").get()).isNotNull();

        try (NodeProvider later = provider(Map.of())) {
            await(later.stop(node).toCompletableFuture());
        }
        assertThat(client.pods().inNamespace("infer").withName("chat-auto-1").get()).isNull();
    }

    @Test
    void closingDeletesThePodsStillStarting() throws Exception {
        CompletableFuture<Endpoint> started;
        try (NodeProvider provider = provider(Map.of())) {
            started = provider.start(SPOT).toCompletableFuture();
            awaitPod("chat-auto-1");
        }
        assertThat(failureOf(started)).hasMessage("pod infer/chat-auto-1 was still starting when the provider closed; deleted it");
        assertThat(client.pods().inNamespace("infer").withName("chat-auto-1").get()).isNull();
    }

    @Test
    void startAndStopAfterCloseFailAtOnce() throws Exception {
        NodeProvider provider = provider(Map.of());
        provider.close();

        assertThat(failureOf(provider.start(SPOT).toCompletableFuture())).hasMessage("the provider is closed");
        Endpoint node = Endpoint.builder("chat-auto-1", URI.create("http://127.0.0.1:8000")).build();
        assertThat(failureOf(provider.stop(node).toCompletableFuture())).hasMessage("the provider is closed");
        assertThat(client.pods().inNamespace("infer").list().getItems()).isEmpty();
    }

    @Test
    void aDisruptionTargetConditionOrSomeoneElsesDeleteTellsThePreemptionListener() throws Exception {
        try (NodeProvider provider = provider(Map.of())) {
            List<String> warned = new CopyOnWriteArrayList<>();
            provider.onPreemption(warned::add);
            startServing(provider, SPOT);
            Endpoint dedicated = startServing(provider, DEDICATED);

            kubelet("chat-auto-1", pod -> pod.editStatus().addNewCondition().withType("DisruptionTarget").withStatus("True")
                    .withReason("TerminationByKubelet").endCondition().endStatus());
            kubelet("chat-auto-1", pod -> pod.editStatus().withPhase("Running").endStatus()); // told once only
            client.pods().inNamespace("infer").withName("chat-auto-2").delete();
            awaitGone("chat-auto-2");

            waitFor(() -> warned.size() >= 2);
            assertThat(warned).containsExactly("chat-auto-1", "chat-auto-2");
            await(provider.stop(dedicated).toCompletableFuture()); // already gone: nothing to wait for
            assertThat(warned).hasSize(2);
        }
    }

    @Test
    void aStopIsNoPreemption() throws Exception {
        try (NodeProvider provider = provider(Map.of())) {
            List<String> warned = new CopyOnWriteArrayList<>();
            provider.onPreemption(warned::add);
            Endpoint node = startServing(provider, SPOT);

            await(provider.stop(node).toCompletableFuture());

            assertThat(warned).isEmpty();
        }
    }

    @Test
    void aNodeIdInUseIsRefused() throws Exception {
        try (NodeProvider provider = provider(Map.of())) {
            provider.start(SPOT);

            assertThat(failureOf(provider.start(SPOT).toCompletableFuture()))
                    .hasMessage("pod infer/chat-auto-1 already exists for node chat-auto-1 (expected: a node id not in use)");
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
