package io.infergate.kubernetes;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplate;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.infergate.core.fleet.CapacityKind;
import io.infergate.core.scale.NodeSpec;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The pod a node runs in: the user's template with the node's name, infergate's labels and the
 * scheduling rules of the node's capacity kind.
 *
 * <pre>{@code
 * NodePodTemplate template = NodePodTemplate.parse(Files.readString(path),
 *         Map.of(CapacityKind.PREEMPTIBLE, spotRules));
 * Pod pod = template.podFor(spec);    // named podName(spec.id()), labelled, with spot's selector
 * }</pre>
 *
 * <p>The template is a {@code Pod}, a {@code PodTemplate} (its {@code template} is used) or a bare
 * pod template ({@code metadata} and {@code spec}); its name, generated name and namespace are replaced,
 * its labels and annotations kept.
 */
public final class NodePodTemplate {

    /** Label on every pod the provider makes, with the value {@value #MANAGER}. */
    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "infergate";
    /** Label: the pool the node serves (as a label value, see {@link #podName}). */
    public static final String POOL = "infergate.io/pool";
    /** Label: the pod's own name, which is the node id made a valid DNS label. */
    public static final String NODE = "infergate.io/node";
    /** Label: {@code dedicated} or {@code preemptible}. */
    public static final String CAPACITY = "infergate.io/capacity";
    /** Annotation: the node id exactly as the autoscaler named it. */
    public static final String NODE_ID = "infergate.io/node-id";
    /** Annotation: the models the node must serve, comma-separated. */
    public static final String MODELS = "infergate.io/models";

    private static final KubernetesSerialization YAML = new KubernetesSerialization();
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private final PodTemplateSpec template;
    private final Map<CapacityKind, CapacityScheduling> scheduling;

    private NodePodTemplate(PodTemplateSpec template, Map<CapacityKind, CapacityScheduling> scheduling) {
        this.template = template;
        this.scheduling = new EnumMap<>(CapacityKind.class);
        for (CapacityKind kind : CapacityKind.values()) {
            this.scheduling.put(kind, scheduling.getOrDefault(kind, CapacityScheduling.NONE));
        }
    }

    /**
     * Reads a template from YAML (or JSON).
     *
     * @throws IllegalArgumentException saying what the text holds and what was expected
     */
    public static NodePodTemplate parse(String yaml, Map<CapacityKind, CapacityScheduling> scheduling) {
        Map<?, ?> document;
        try {
            document = YAML.unmarshal(yaml, Map.class);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not YAML: " + firstLine(e.getMessage()), e);
        }
        if (document == null) {
            throw new IllegalArgumentException("empty (expected: a Pod, a PodTemplate, or metadata and spec)");
        }
        Object kind = document.get("kind");
        PodTemplateSpec spec;
        try {
            if ("Pod".equals(kind)) {
                Pod pod = YAML.convertValue(document, Pod.class);
                spec = new PodTemplateSpec(pod.getMetadata(), pod.getSpec());
            } else if ("PodTemplate".equals(kind)) {
                spec = YAML.convertValue(document, PodTemplate.class).getTemplate();
            } else if (kind == null) {
                spec = YAML.convertValue(document, PodTemplateSpec.class);
            } else {
                throw new IllegalArgumentException("kind: " + kind + " (expected: Pod, PodTemplate, or no kind with metadata and spec)");
            }
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a pod template: " + firstLine(e.getMessage()), e);
        }
        if (spec == null || spec.getSpec() == null || spec.getSpec().getContainers() == null
                || spec.getSpec().getContainers().isEmpty()) {
            throw new IllegalArgumentException("no containers (expected: a pod spec with at least one container under "
                    + ("PodTemplate".equals(kind) ? "template.spec.containers" : "spec.containers") + ")");
        }
        return new NodePodTemplate(spec, scheduling);
    }

    /**
     * The pod name of a node: its id when that is a valid DNS label (as autoscaler ids such as
     * {@code chat-auto-3} are), else the id lower-cased with other characters turned to {@code -}, cut,
     * and followed by a hash of the id so that distinct ids keep distinct names. The same id always
     * gives the same name, so a node started by an earlier process can still be stopped.
     */
    public static String podName(String nodeId) {
        if (DNS_LABEL.matcher(nodeId).matches()) {
            return nodeId;
        }
        String cleaned = nodeId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
        String hash = String.format("%08x", nodeId.hashCode());
        String head = cleaned.length() > 54 ? cleaned.substring(0, 54).replaceAll("-+$", "") : cleaned;
        return head.isEmpty() ? "node-" + hash : head + "-" + hash;
    }

    /** The pod for a node: the template named after the node, labelled, with its kind's scheduling rules. */
    public Pod podFor(NodeSpec spec) {
        PodTemplateSpec copy = YAML.clone(template);
        ObjectMeta meta = copy.getMetadata() == null ? new ObjectMeta() : copy.getMetadata();
        String name = podName(spec.id());
        Map<String, String> labels = new LinkedHashMap<>(Objects.requireNonNullElse(meta.getLabels(), Map.of()));
        labels.put(MANAGED_BY, MANAGER);
        labels.put(POOL, podName(spec.pool()));
        labels.put(NODE, name);
        labels.put(CAPACITY, spec.capacity().name().toLowerCase(Locale.ROOT));
        Map<String, String> annotations = new LinkedHashMap<>(Objects.requireNonNullElse(meta.getAnnotations(), Map.of()));
        annotations.put(NODE_ID, spec.id());
        annotations.put(MODELS, spec.models().stream().sorted().collect(Collectors.joining(",")));
        ObjectMeta podMeta = new ObjectMeta();
        podMeta.setName(name);
        podMeta.setLabels(labels);
        podMeta.setAnnotations(annotations);

        PodSpec podSpec = copy.getSpec();
        CapacityScheduling rules = scheduling.get(spec.capacity());
        Map<String, String> selector = new LinkedHashMap<>(Objects.requireNonNullElse(podSpec.getNodeSelector(), Map.of()));
        selector.putAll(rules.nodeSelector());
        podSpec.setNodeSelector(selector.isEmpty() ? null : selector);
        List<Toleration> tolerations = new ArrayList<>(Objects.requireNonNullElse(podSpec.getTolerations(), List.of()));
        tolerations.addAll(rules.tolerations());
        podSpec.setTolerations(tolerations.isEmpty() ? null : tolerations);
        return new PodBuilder().withMetadata(podMeta).withSpec(podSpec).build();
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
