package io.infergate.kubernetes;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Reads what a pod's status says about the node: ready, failed, about to be taken away. */
final class PodStatuses {

    private PodStatuses() {
    }

    /** Its {@code Ready} condition is true and it has an IP. */
    static boolean ready(Pod pod) {
        PodStatus status = pod.getStatus();
        return status != null && status.getPodIP() != null && !status.getPodIP().isBlank() && condition(pod, "Ready");
    }

    /** Kubernetes has marked it for disruption ({@code DisruptionTarget}: preemption, eviction, node shutdown). */
    static boolean disrupted(Pod pod) {
        return condition(pod, "DisruptionTarget");
    }

    /** Someone asked for it to be deleted. */
    static boolean deleting(Pod pod) {
        return pod.getMetadata().getDeletionTimestamp() != null;
    }

    /** Why it failed, when its phase is {@code Failed}: its reason, message and containers' exits. */
    static Optional<String> failure(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null || !"Failed".equals(status.getPhase())) {
            return Optional.empty();
        }
        List<String> parts = new ArrayList<>();
        parts.add("reason " + Objects.requireNonNullElse(status.getReason(), "unknown"));
        if (status.getMessage() != null) {
            parts.add(status.getMessage());
        }
        for (ContainerStatus container : Objects.requireNonNullElse(status.getContainerStatuses(), List.<ContainerStatus>of())) {
            if (container.getState() != null && container.getState().getTerminated() != null) {
                var end = container.getState().getTerminated();
                parts.add("container " + container.getName() + " exited with " + end.getExitCode()
                        + (end.getReason() == null ? "" : " (" + end.getReason() + ")"));
            }
        }
        return Optional.of(String.join("; ", parts));
    }

    /** Its phase, the conditions not met with their reasons, and why containers wait: for messages. */
    static String describe(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null) {
            return "no status yet";
        }
        List<String> parts = new ArrayList<>();
        parts.add("phase " + Objects.requireNonNullElse(status.getPhase(), "unknown"));
        for (PodCondition condition : Objects.requireNonNullElse(status.getConditions(), List.<PodCondition>of())) {
            if (!"True".equals(condition.getStatus())) {
                parts.add(condition.getType() + " false" + (condition.getReason() == null ? "" : " (" + condition.getReason()
                        + (condition.getMessage() == null ? "" : ": " + condition.getMessage()) + ")"));
            }
        }
        for (ContainerStatus container : Objects.requireNonNullElse(status.getContainerStatuses(), List.<ContainerStatus>of())) {
            if (container.getState() != null && container.getState().getWaiting() != null) {
                parts.add("container " + container.getName() + " waiting (" + container.getState().getWaiting().getReason() + ")");
            }
        }
        return String.join(", ", parts);
    }

    private static boolean condition(Pod pod, String type) {
        PodStatus status = pod.getStatus();
        return status != null && status.getConditions() != null && status.getConditions().stream()
                .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }
}
