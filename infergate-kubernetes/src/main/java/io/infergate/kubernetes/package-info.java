/**
 * Kubernetes for infergate: the {@code kubernetes} node provider, which runs each node the autoscaler
 * adds as one pod. Start with {@link io.infergate.kubernetes.KubernetesNodeProvider} (what a start, a
 * stop and a preemption do to pods) and {@link io.infergate.kubernetes.KubernetesNodeProviderFactory}
 * (its settings); {@link io.infergate.kubernetes.NodePodTemplate} turns the user's template into a node's
 * pod, with the scheduling rules of its capacity kind from
 * {@link io.infergate.kubernetes.CapacityScheduling}; the package-private {@code PodStatuses} reads a
 * pod's status. The {@code InferenceCluster} operator and EndpointSlice discovery are not built yet.
 */
package io.infergate.kubernetes;
