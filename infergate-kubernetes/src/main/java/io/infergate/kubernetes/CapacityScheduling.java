package io.infergate.kubernetes;

import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * Where the pods of one capacity kind may run: node-selector labels and tolerations added to the pod
 * template, written in {@code kubectl}'s short forms so they fit a one-line setting.
 *
 * <pre>{@code
 * CapacityScheduling spot = CapacityScheduling.parse("cloud.google.com/gke-spot=true",
 *         "cloud.google.com/gke-spot=true:NoSchedule", settings::problem);
 * }</pre>
 *
 * @param nodeSelector labels the node must carry, {@code key=value,...}
 * @param tolerations  taints the pod tolerates, {@code key[=value][:Effect],...}: with a value the
 *                     operator is {@code Equal}, without one {@code Exists}; without an effect, every effect
 */
public record CapacityScheduling(Map<String, String> nodeSelector, List<Toleration> tolerations) {

    /** No selector, no toleration: the template alone decides. */
    public static final CapacityScheduling NONE = new CapacityScheduling(Map.of(), List.of());

    private static final Set<String> EFFECTS = Set.of("NoSchedule", "PreferNoSchedule", "NoExecute");

    public CapacityScheduling {
        nodeSelector = Map.copyOf(nodeSelector);
        tolerations = List.copyOf(tolerations);
    }

    /**
     * Reads the two settings of one kind, e.g. {@code preemptible_node_selector} and
     * {@code preemptible_tolerations}; {@code problem} makes the error naming the setting, what was found
     * and what was expected.
     */
    public static CapacityScheduling parse(String selectorKey, String selector, String tolerationsKey, String tolerations,
                                           Problem problem) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (String item : items(selector)) {
            int eq = item.indexOf('=');
            if (eq <= 0) {
                throw problem.of(selectorKey, item, "key=value pairs separated by commas, e.g. cloud.google.com/gke-spot=true");
            }
            labels.put(item.substring(0, eq).trim(), item.substring(eq + 1).trim());
        }
        List<Toleration> tolerates = new ArrayList<>();
        for (String item : items(tolerations)) {
            tolerates.add(toleration(item, (found, expected) -> problem.of(tolerationsKey, found, expected)));
        }
        return new CapacityScheduling(labels, tolerates);
    }

    private static Toleration toleration(String item, BiFunction<String, String, IllegalArgumentException> problem) {
        String keyValue = item;
        String effect = null;
        int colon = item.lastIndexOf(':');
        if (colon >= 0) {
            keyValue = item.substring(0, colon).trim();
            effect = item.substring(colon + 1).trim();
            if (!EFFECTS.contains(effect)) {
                throw problem.apply(item, "key[=value][:effect] with effect one of NoSchedule, PreferNoSchedule, NoExecute");
            }
        }
        int eq = keyValue.indexOf('=');
        String key = eq < 0 ? keyValue : keyValue.substring(0, eq).trim();
        if (key.isEmpty()) {
            throw problem.apply(item, "key[=value][:effect], e.g. cloud.google.com/gke-spot=true:NoSchedule");
        }
        TolerationBuilder toleration = new TolerationBuilder().withKey(key).withEffect(effect);
        return eq < 0
                ? toleration.withOperator("Exists").build()
                : toleration.withOperator("Equal").withValue(keyValue.substring(eq + 1).trim()).build();
    }

    private static List<String> items(String text) {
        return text.isBlank() ? List.of() : List.of(text.trim().split("\\s*,\\s*"));
    }

    /** Makes the error for a setting: its key, what was found, what was expected. */
    @FunctionalInterface
    public interface Problem {
        IllegalArgumentException of(String key, String found, String expected);
    }
}
