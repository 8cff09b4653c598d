package io.infergate.kubernetes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.PodResource;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.infergate.core.fleet.Endpoint;
import io.infergate.core.scale.NodeProvider;
import io.infergate.core.scale.NodeSpec;
import io.infergate.core.scale.RegionRoom;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Logger;

/**
 * The {@code kubernetes} node provider: one pod per node, made from a pod template and named after
 * the node id, so the autoscaler stops exactly the node it chose. A start creates the pod and completes
 * with {@code http://<podIP>:<port>} once the pod's {@code Ready} condition is true; it fails, deleting
 * the pod, when the pod fails, is deleted or disrupted before it serves, or is not ready in time. A
 * stop deletes the pod (by the name the node id gives, so it also stops a node an earlier process
 * started) and completes once the pod is gone. One informer watches the namespace's pods labelled
 * {@code app.kubernetes.io/managed-by: infergate}; it starts with the first start or stop.
 *
 * <p>Preemption: a pod this provider started that gets a {@code DisruptionTarget} condition (spot
 * preemption, eviction, node drain or shutdown) or that someone else deletes is reported to the
 * {@link #onPreemption} listeners once, with its node id, so the host drains it first.
 *
 * <p>{@link #close} stops watching and deletes only the pods still starting (nobody would ever learn
 * of them); pods that serve keep running and stay in the gateways' fleets.
 *
 * <pre>{@code
 * try (NodeProvider provider = new KubernetesNodeProvider(new KubernetesClientBuilder().build(), options)) {
 *     provider.onPreemption(host::drain);
 *     Endpoint node = provider.start(spec).toCompletableFuture().join();   // http://10.4.2.17:8000
 *     provider.stop(node).toCompletableFuture().join();
 * }
 * }</pre>
 */
public final class KubernetesNodeProvider implements NodeProvider {

    private static final Logger LOG = Logger.getLogger(KubernetesNodeProvider.class.getName());
    /** How long closing waits for the pod watch to close before the client goes. */
    private static final Duration WATCH_CLOSE_WAIT = Duration.ofSeconds(2);
    /** How long closing waits for the calls under way (creates, deletes) to finish. */
    private static final Duration CALLS_CLOSE_WAIT = Duration.ofSeconds(10);
    static final String REGION_LABEL = "topology.kubernetes.io/region";
    static final String ZONE_LABEL = "topology.kubernetes.io/zone";

    private final KubernetesClient client;
    private final KubernetesNodeOptions options;
    private final ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "infergate-kubernetes-timeouts");
        thread.setDaemon(true);
        return thread;
    });
    /** Pods being started, by pod name: until their start completes, Ready ones too. */
    private final Map<String, Starting> starting = new ConcurrentHashMap<>();
    /** Node ids of the pods this provider started that serve, by pod name. */
    private final Map<String, String> serving = new ConcurrentHashMap<>();
    /**
     * Held while a pod's event is matched to its state and while a start moves its pod from starting to
     * serving and completes: an event comes either before (and fails the start) or after (and is reported).
     */
    private final Object handOver = new Object();
    /** Pods being stopped, by pod name: each completes once the pod is gone. */
    private final Map<String, CompletableFuture<Void>> stopping = new ConcurrentHashMap<>();
    /** Pods whose preemption was reported already. */
    private final Set<String> reported = ConcurrentHashMap.newKeySet();
    private final List<Consumer<String>> preemptionListeners = new CopyOnWriteArrayList<>();
    private SharedIndexInformer<Pod> informer;
    private boolean closed;

    /** A start under way; {@code ready} is set once its pod was seen Ready and its endpoint is being made. */
    private record Starting(NodeSpec spec, CompletableFuture<Endpoint> result, AtomicBoolean ready) {
    }

    /** A provider that owns {@code client} (it closes it) and makes pods as {@code options} say. */
    public KubernetesNodeProvider(KubernetesClient client, KubernetesNodeOptions options) {
        this.client = client;
        this.options = options;
    }

    @Override
    public CompletionStage<Endpoint> start(NodeSpec spec) {
        Pod pod = options.template().podFor(spec);
        String name = pod.getMetadata().getName();
        CompletableFuture<Endpoint> result = new CompletableFuture<>();
        if (serving.containsKey(name) || starting.putIfAbsent(name, new Starting(spec, result, new AtomicBoolean())) != null) {
            return CompletableFuture.failedFuture(new IllegalStateException(where(name) + " already exists for node "
                    + spec.id() + " (expected: a node id not in use)"));
        }
        try {
            create(name, spec, pod, result);
        } catch (RejectedExecutionException e) {
            starting.remove(name);
            return CompletableFuture.failedFuture(new IllegalStateException("the provider is closed", e));
        }
        return result;
    }

    /** Creates the pod of a start just listed, with its Ready timeout; rejected once the provider is closed. */
    private void create(String name, NodeSpec spec, Pod pod, CompletableFuture<Endpoint> result) {
        ScheduledFuture<?> timeout = timers.schedule(() -> abandon(name, "not Ready within " + options.readyTimeout().toMillis()
                + " ms (provider.ready_timeout_ms); last seen: " + lastSeen(name)), options.readyTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        result.whenComplete((endpoint, failure) -> timeout.cancel(false));
        calls.execute(() -> {
            try {
                watch();
                pods().resource(pod).create();
            } catch (RuntimeException e) {
                Starting failed = starting.remove(name);
                if (failed != null) {
                    failed.result().completeExceptionally(new IllegalStateException(where(name) + " for node " + spec.id()
                            + " could not be created: " + why(e), e));
                }
            }
        });
    }

    @Override
    public CompletionStage<Void> stop(Endpoint endpoint) {
        String name = NodePodTemplate.podName(endpoint.id());
        serving.remove(name);
        CompletableFuture<Void> gone = stopping.computeIfAbsent(name, n -> new CompletableFuture<>());
        try {
            delete(name, endpoint, gone);
        } catch (RejectedExecutionException e) {
            if (stopping.remove(name, gone)) {
                gone.completeExceptionally(new IllegalStateException("the provider is closed", e));
            }
        }
        return gone;
    }

    /** Deletes the pod of a stop just listed, with its stop timeout; rejected once the provider is closed. */
    private void delete(String name, Endpoint endpoint, CompletableFuture<Void> gone) {
        ScheduledFuture<?> timeout = timers.schedule(() -> {
            if (stopping.remove(name, gone)) {
                gone.completeExceptionally(new IllegalStateException(where(name) + " of node " + endpoint.id()
                        + " was not gone within " + options.stopTimeout().toMillis() + " ms (provider.stop_timeout_ms); last seen: "
                        + lastSeen(name)));
            }
        }, options.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
        gone.whenComplete((ignored, failure) -> timeout.cancel(false));
        calls.execute(() -> {
            try {
                watch();
                if (pods().withName(name).delete().isEmpty() && stopping.remove(name, gone)) {
                    gone.complete(null); // there was no such pod
                }
            } catch (RuntimeException e) {
                if (stopping.remove(name, gone)) {
                    gone.completeExceptionally(new IllegalStateException(where(name) + " of node " + endpoint.id()
                            + " could not be deleted: " + why(e), e));
                }
            }
        });
    }

    /** Every node may start in the configured region; without one, in the pool's home region. */
    @Override
    public List<RegionRoom> room(String homeRegion) {
        return List.of(RegionRoom.unlimited(options.region().orElse(homeRegion)));
    }

    @Override
    public void onPreemption(Consumer<String> listener) {
        preemptionListeners.add(listener);
    }

    /** Stops watching; deletes the pods still starting, leaves those that serve running. */
    @Override
    public void close() {
        SharedIndexInformer<Pod> watching;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            watching = informer;
        }
        timers.shutdownNow();
        // Calls under way finish first: a create cut off after the API server took it would leave a pod that
        // nobody deletes (the start failed, so the loop below would not see it).
        calls.shutdown();
        try {
            if (!calls.awaitTermination(CALLS_CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warning(() -> "calls to " + client.getMasterUrl() + " still under way after "
                        + CALLS_CLOSE_WAIT.toSeconds() + " s; cutting them off");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        calls.shutdownNow();
        for (String name : List.copyOf(starting.keySet())) {
            Starting abandoned = starting.remove(name);
            if (abandoned != null) {
                deleteQuietly(name);
                abandoned.result().completeExceptionally(new IllegalStateException(where(name)
                        + " was still starting when the provider closed; deleted it"));
            }
        }
        stopping.forEach((name, gone) -> gone.completeExceptionally(
                new IllegalStateException(where(name) + " was still being deleted when the provider closed")));
        // The watch closes last, once the deletes above are done: events for a watch already closing are what
        // left the API server (fabric8's mock one, at least) holding that watch open.
        if (watching != null) {
            watching.close();
            awaitQuietly(watching.stopped());
        }
        client.close();
    }

    /**
     * Waits a little for the informer's watch to close before the client goes: an API server (or the mock one)
     * otherwise holds the half-closed watch open for its closing timeout.
     */
    private static void awaitQuietly(CompletionStage<Void> stopped) {
        try {
            stopped.toCompletableFuture().get(WATCH_CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.fine(() -> "the pod watch did not close cleanly: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the informer once; it keeps its cache of managed pods up to date from then on. */
    private synchronized void watch() {
        if (closed) {
            throw new IllegalStateException("the provider is closed");
        }
        if (informer == null) {
            try {
                informer = pods().withLabel(NodePodTemplate.MANAGED_BY, NodePodTemplate.MANAGER).inform(new Handler(), 0);
            } catch (KubernetesClientException e) {
                throw new IllegalStateException("could not watch the pods of namespace " + options.namespace() + " at "
                        + client.getMasterUrl() + ": " + why(e), e);
            }
        }
    }

    private final class Handler implements ResourceEventHandler<Pod> {
        @Override
        public void onAdd(Pod pod) {
            changed(pod);
        }

        @Override
        public void onUpdate(Pod old, Pod pod) {
            changed(pod);
        }

        @Override
        public void onDelete(Pod pod, boolean finalStateUnknown) {
            gone(pod);
        }
    }

    private void changed(Pod pod) {
        String name = pod.getMetadata().getName();
        String taken;
        synchronized (handOver) {
            Starting start = starting.get(name);
            if (start != null) {
                Optional<String> failure = PodStatuses.failure(pod);
                if (failure.isPresent()) {
                    abandon(name, "failed: " + failure.get());
                } else if (PodStatuses.deleting(pod)) {
                    abandon(name, "is being deleted by someone else before it served");
                } else if (PodStatuses.disrupted(pod)) {
                    abandon(name, "is being disrupted (DisruptionTarget) before it served");
                } else if (PodStatuses.ready(pod) && start.ready().compareAndSet(false, true)) {
                    calls.execute(() -> serve(name, start, pod));
                }
                return;
            }
            String nodeId = serving.get(name);
            taken = nodeId != null && (PodStatuses.disrupted(pod) || PodStatuses.deleting(pod)) ? nodeId : null;
        }
        if (taken != null) {
            report(name, taken);
        }
    }

    private void gone(Pod pod) {
        String name = pod.getMetadata().getName();
        CompletableFuture<Void> stopped = stopping.remove(name);
        if (stopped != null) {
            stopped.complete(null);
        }
        Starting start;
        String nodeId;
        synchronized (handOver) {
            start = starting.remove(name);
            nodeId = serving.remove(name);
        }
        if (start != null) {
            start.result().completeExceptionally(new IllegalStateException(where(name) + " for node " + start.spec().id()
                    + " was deleted by someone else before it served"));
        }
        if (nodeId != null) {
            report(name, nodeId);
        }
        reported.remove(name);
    }

    private void report(String name, String nodeId) {
        if (reported.add(name)) {
            LOG.info(() -> where(name) + " of node " + nodeId + " is being taken away; telling the autoscaler");
            preemptionListeners.forEach(listener -> listener.accept(nodeId));
        }
    }

    /**
     * Completes a start with the endpoint of its Ready pod, unless an event failed it meanwhile (the pod
     * was deleted or disrupted while the node's labels were read). Completes under the hand-over lock, so
     * that the host holds the endpoint before any later event about the pod is reported.
     */
    private void serve(String name, Starting start, Pod pod) {
        NodeSpec spec = start.spec();
        Map<String, String> nodeLabels = options.region().isPresent() ? Map.of() : nodeLabels(pod);
        String ip = pod.getStatus().getPodIP();
        URI url = URI.create(options.scheme() + "://" + (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + options.port());
        Endpoint endpoint = Endpoint.builder(spec.id(), url).pool(spec.pool()).models(spec.models())
                .region(options.region().orElse(nodeLabels.getOrDefault(REGION_LABEL, spec.region())))
                .zone(nodeLabels.getOrDefault(ZONE_LABEL, ""))
                .capacity(spec.capacity()).pricePerHour(spec.pricePerHour()).build();
        synchronized (handOver) {
            if (starting.remove(name, start)) {
                serving.put(name, spec.id());
                start.result().complete(endpoint);
            }
        }
    }

    /** The labels of the Kubernetes node the pod runs on; none when they cannot be read (e.g. no RBAC for nodes). */
    private Map<String, String> nodeLabels(Pod pod) {
        String nodeName = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (nodeName == null) {
            return Map.of();
        }
        try {
            Node node = client.nodes().withName(nodeName).get();
            return node == null || node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
        } catch (KubernetesClientException e) {
            LOG.fine(() -> "could not read node " + nodeName + "'s labels: " + e.getMessage());
            return Map.of();
        }
    }

    /** Fails a start and deletes its pod. */
    private void abandon(String name, String why) {
        Starting start = starting.remove(name);
        if (start == null) {
            return;
        }
        String message = where(name) + " for node " + start.spec().id() + " " + why + "; deleted it";
        calls.execute(() -> {
            deleteQuietly(name);
            start.result().completeExceptionally(new IllegalStateException(message));
        });
    }

    private void deleteQuietly(String name) {
        try {
            pods().withName(name).delete();
        } catch (KubernetesClientException e) {
            LOG.warning(() -> "could not delete " + where(name) + ": " + why(e));
        }
    }

    private String lastSeen(String name) {
        SharedIndexInformer<Pod> watching;
        synchronized (this) {
            watching = informer;
        }
        Pod pod = watching == null ? null : watching.getStore().getByKey(options.namespace() + "/" + name);
        return pod == null ? "no such pod" : PodStatuses.describe(pod);
    }

    /** The message of a failure with its root cause's, which says more than fabric8's "An error has occurred." */
    private static String why(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.getMessage() : e.getMessage() + " (" + root + ")";
    }

    private String where(String name) {
        return "pod " + options.namespace() + "/" + name;
    }

    private NonNamespaceOperation<Pod, PodList, PodResource> pods() {
        return client.pods().inNamespace(options.namespace());
    }
}
