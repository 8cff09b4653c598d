package io.infergate.kubernetes;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.scale.NodeProvider;
import io.infergate.core.scale.NodeProviderFactory;
import io.infergate.core.scale.ProviderSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Makes a {@link KubernetesNodeProvider} from the configuration's {@code provider:} settings:
 * {@code pod_template} (required: a YAML file holding a Pod, a PodTemplate or a bare pod template;
 * relative to the working directory), {@code namespace} (the client's: the kubeconfig context's or the
 * service account's), {@code port} (8000), {@code scheme} (http), {@code region} (the Kubernetes node's
 * {@code topology.kubernetes.io/region} label, else the autoscaler's region), {@code ready_timeout_ms}
 * (600000), {@code stop_timeout_ms} (120000), per capacity kind {@code dedicated_node_selector},
 * {@code dedicated_tolerations}, {@code preemptible_node_selector}, {@code preemptible_tolerations}
 * (see {@link CapacityScheduling}), and {@code master_url} (the API server, when neither a kubeconfig
 * nor the in-cluster service account gives it). The client is configured the standard way otherwise.
 *
 * <pre>{@code
 * autoscaler:
 *   provider: {type: kubernetes, namespace: inference, pod_template: deploy/kubernetes/vllm-pod.yaml,
 *              preemptible_node_selector: "cloud.google.com/gke-spot=true",
 *              preemptible_tolerations: "cloud.google.com/gke-spot=true:NoSchedule"}
 * }</pre>
 */
public final class KubernetesNodeProviderFactory implements NodeProviderFactory {

    private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    @Override
    public String type() {
        return "kubernetes";
    }

    @Override
    public NodeProvider create(Map<String, String> settings) {
        ProviderSettings s = new ProviderSettings(type(), settings);
        String templatePath = s.requiredText("pod_template");
        String namespace = s.text("namespace", "").trim();
        if (!namespace.isEmpty() && !NAMESPACE.matcher(namespace).matches()) {
            throw s.problem("namespace", namespace, "a namespace name: lower-case letters, digits and '-', at most 63");
        }
        double port = s.number("port", 8000, 1, 65_535);
        if (port != Math.rint(port)) {
            throw s.problem("port", settings.get("port"), "a whole number from 1 to 65535");
        }
        String scheme = s.text("scheme", "http").trim();
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw s.problem("scheme", scheme, "http or https");
        }
        String region = s.text("region", "").trim();
        Duration readyTimeout = s.millis("ready_timeout_ms", Duration.ofMinutes(10));
        Duration stopTimeout = s.millis("stop_timeout_ms", Duration.ofMinutes(2));
        Map<CapacityKind, CapacityScheduling> scheduling = Map.of(
                CapacityKind.DEDICATED, scheduling(s, "dedicated"),
                CapacityKind.PREEMPTIBLE, scheduling(s, "preemptible"));
        String masterUrl = s.text("master_url", "").trim();
        s.finish();
        NodePodTemplate template = template(s, templatePath, scheduling);

        Config config = masterUrl.isEmpty() ? Config.autoConfigure(null)
                : new ConfigBuilder(Config.autoConfigure(null)).withMasterUrl(masterUrl).build();
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
        String inNamespace = !namespace.isEmpty() ? namespace : Optional.ofNullable(client.getNamespace()).orElse("default");
        return new KubernetesNodeProvider(client, new KubernetesNodeOptions(inNamespace, template, (int) port, scheme,
                region.isEmpty() ? Optional.empty() : Optional.of(region), readyTimeout, stopTimeout));
    }

    private static CapacityScheduling scheduling(ProviderSettings s, String kind) {
        String selectorKey = kind + "_node_selector";
        String tolerationsKey = kind + "_tolerations";
        return CapacityScheduling.parse(selectorKey, s.text(selectorKey, ""), tolerationsKey, s.text(tolerationsKey, ""),
                s::problem);
    }

    private static NodePodTemplate template(ProviderSettings s, String pathText,
                                            Map<CapacityKind, CapacityScheduling> scheduling) {
        Path path = Paths.get(pathText.trim());
        String yaml;
        try {
            yaml = Files.readString(path);
        } catch (NoSuchFileException e) {
            throw s.problem("pod_template", pathText, "a YAML file holding a Pod or a pod template; "
                    + path.toAbsolutePath() + " does not exist");
        } catch (IOException e) {
            throw s.problem("pod_template", pathText, "a readable YAML file; " + e);
        }
        try {
            return NodePodTemplate.parse(yaml, scheduling);
        } catch (IllegalArgumentException e) {
            throw s.problem("pod_template", pathText, "a Pod or a pod template; the file is " + e.getMessage());
        }
    }
}
