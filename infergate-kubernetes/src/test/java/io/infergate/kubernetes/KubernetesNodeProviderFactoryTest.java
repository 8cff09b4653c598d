package io.infergate.kubernetes;

import io.infergate.core.scale.NodeProvider;
import io.infergate.core.scale.NodeProviders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KubernetesNodeProviderFactoryTest {

    @TempDir
    Path dir;

    private Map<String, String> settings(String template, String... more) throws IOException {
        Path file = dir.resolve("pod.yaml");
        Files.writeString(file, template);
        Map<String, String> settings = new HashMap<>(Map.of("pod_template", file.toString(), "master_url", "http://127.0.0.1:1"));
        for (int i = 0; i < more.length; i += 2) {
            settings.put(more[i], more[i + 1]);
        }
        return settings;
    }

    @Test
    void isFoundByTypeAndTakesAPodAPodTemplateABareTemplateOrTheShippedExample() throws IOException {
        String bare = """
                metadata: {labels: {app: vllm}}
                spec: {containers: [{name: vllm, image: vllm/vllm-openai}]}
                """;
        String podTemplate = """
                apiVersion: v1
                kind: PodTemplate
                metadata: {name: vllm}
                template:
                  spec: {containers: [{name: vllm, image: vllm/vllm-openai}]}
                """;
        String shipped = Files.readString(Path.of("../deploy/kubernetes/vllm-pod.yaml"));
        for (String template : new String[] {KubernetesNodeProviderTest.TEMPLATE, bare, podTemplate, shipped}) {
            try (NodeProvider provider = NodeProviders.create("kubernetes", settings(template))) {
                assertThat(provider).isInstanceOf(KubernetesNodeProvider.class);
            }
        }
    }

    @Test
    void badSettingsAreRefusedNamingTheSetting() throws IOException {
        String good = KubernetesNodeProviderTest.TEMPLATE;
        Map<String, String> noTemplate = settings(good);
        noTemplate.remove("pod_template");
        assertThatThrownBy(() -> NodeProviders.create("kubernetes", noTemplate))
                .hasMessage("provider kubernetes: pod_template: missing (expected: a value)");
        Map<String, String> missingFile = settings(good, "pod_template", dir.resolve("nope.yaml").toString());
        assertThatThrownBy(() -> NodeProviders.create("kubernetes", missingFile))
                .hasMessageStartingWith("provider kubernetes: pod_template: " + dir.resolve("nope.yaml")
                        + " (expected: a YAML file holding a Pod or a pod template; ")
                .hasMessageEndingWith("nope.yaml does not exist)");
        assertThatThrownBy(() -> NodeProviders.create("kubernetes", settings("spec: [unclosed")))
                .hasMessageStartingWith("provider kubernetes: pod_template: " + dir.resolve("pod.yaml")
                        + " (expected: a Pod or a pod template; the file is not YAML: ");
        assertThatThrownBy(() -> NodeProviders.create("kubernetes", settings("kind: Deployment\nspec: {}\n")))
                .hasMessageEndingWith("(expected: a Pod or a pod template; the file is kind: Deployment "
                        + "(expected: Pod, PodTemplate, or no kind with metadata and spec))");
        assertThatThrownBy(() -> NodeProviders.create("kubernetes", settings("kind: Pod\nspec: {containers: []}\n")))
                .hasMessageEndingWith("the file is no containers (expected: a pod spec with at least one container "
                        + "under spec.containers))");
        assertThatThrownBy(() -> NodeProviders.create("kubernetes", settings(good, "pod_templte", "x")))
                .hasMessageStartingWith("provider kubernetes: unknown settings [pod_templte] (expected: [");
        assertThatThrownBy(() -> NodeProviders.create("kubernetes", settings(good, "scheme", "ftp")))
                .hasMessage("provider kubernetes: scheme: ftp (expected: http or https)");
        assertThatThrownBy(() -> NodeProviders.create("kubernetes", settings(good, "port", "80.5")))
                .hasMessage("provider kubernetes: port: 80.5 (expected: a whole number from 1 to 65535)");
        assertThatThrownBy(() -> NodeProviders.create("kubernetes", settings(good, "namespace", "Infer")))
                .hasMessage("provider kubernetes: namespace: Infer (expected: a namespace name: lower-case letters, digits "
                        + "and '-', at most 63)");
        assertThatThrownBy(() -> NodeProviders.create("kubernetes", settings(good, "preemptible_node_selector", "spot")))
                .hasMessage("provider kubernetes: preemptible_node_selector: spot (expected: key=value pairs separated by "
                        + "commas, e.g. cloud.google.com/gke-spot=true)");
        assertThatThrownBy(() -> NodeProviders.create("kubernetes", settings(good, "dedicated_tolerations", "gpu:Never")))
                .hasMessage("provider kubernetes: dedicated_tolerations: gpu:Never (expected: key[=value][:effect] with effect "
                        + "one of NoSchedule, PreferNoSchedule, NoExecute)");
    }
}
