package io.infergate.kubernetes;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link KubernetesNodeProvider} makes and watches its pods.
 *
 * <pre>{@code
 * KubernetesNodeOptions options = new KubernetesNodeOptions("inference", template, 8000, "http",
 *         Optional.of("eu-west"), Duration.ofMinutes(10), Duration.ofMinutes(2));
 * }</pre>
 *
 * @param namespace    namespace the pods live in
 * @param template     the pod each node runs in
 * @param port         port of the inference server in the pod
 * @param scheme       {@code http} or {@code https}
 * @param region       region of every node; when empty, the region label of the Kubernetes node the pod
 *                     runs on, else the region the autoscaler asked for
 * @param readyTimeout longest a pod may take to turn Ready
 * @param stopTimeout  longest a deleted pod may take to be gone
 */
public record KubernetesNodeOptions(String namespace, NodePodTemplate template, int port, String scheme,
                                    Optional<String> region, Duration readyTimeout, Duration stopTimeout) {

    public KubernetesNodeOptions {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(template, "template");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 1-65535)");
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("scheme: " + scheme + " (expected: http or https)");
        }
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(readyTimeout, "readyTimeout");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
    }
}
