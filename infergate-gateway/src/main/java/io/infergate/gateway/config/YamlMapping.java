package io.infergate.gateway.config;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One YAML mapping being read field by field. It remembers which keys were asked for, so that
 * {@link #finish()} can report every other key as unknown, with a "did you mean" hint.
 *
 * <p>Repeated keys are reported. Merge keys ({@code <<: *defaults}) copy the entries of the merged
 * mapping that are not written explicitly. Keys starting with {@code x-} are ignored, so that anchors
 * can be defined under them.
 *
 * <pre>{@code
 * reader.mapping(node, "listen").map(m -> {
 *     int port = m.optional("port", portConverter, 8080);
 *     m.finish();
 *     return port;
 * });
 * }</pre>
 */
final class YamlMapping {

    private static final String MERGE_KEY = "<<";
    private static final String IGNORED_PREFIX = "x-";

    private final MappingNode node;
    private final String path;
    private final NodeReader reader;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Set<String> known = new LinkedHashSet<>();

    YamlMapping(MappingNode node, String path, NodeReader reader) {
        this.node = node;
        this.path = path;
        this.reader = reader;
        FirstSeen keys = new FirstSeen("key", reader.problems());
        List<NodeTuple> tuples = node.getValue();
        for (NodeTuple tuple : tuples) {
            keyOf(tuple).filter(key -> !key.equals(MERGE_KEY))
                    .filter(key -> keys.claim(key, tuple.getKeyNode(), path(key)))
                    .ifPresent(key -> entries.put(key, tuple));
        }
        for (NodeTuple tuple : tuples) {
            keyOf(tuple).filter(MERGE_KEY::equals).ifPresent(key -> merge(tuple.getValueNode()));
        }
    }

    /** The field path of {@code key} in this mapping. */
    String path(String key) {
        return Problems.child(path, key);
    }

    /** The value of {@code key} unless it is absent or null; marks the key as known. */
    Optional<Node> value(String key) {
        known.add(key);
        return Optional.ofNullable(entries.get(key)).map(NodeTuple::getValueNode).filter(v -> !NodeReader.isNull(v));
    }

    /** The converted value of {@code key}, or empty if it is absent, null or invalid. */
    <T> Optional<T> optional(String key, NodeConverter<T> converter) {
        return value(key).flatMap(value -> converter.convert(value, path(key)));
    }

    /** The converted value of {@code key}, or {@code fallback} if it is absent, null or invalid. */
    <T> T optional(String key, NodeConverter<T> converter, T fallback) {
        return optional(key, converter).orElse(fallback);
    }

    /** The converted value of {@code key}; a missing or null value is reported. */
    <T> Optional<T> required(String key, NodeConverter<T> converter) {
        Optional<Node> value = value(key);
        if (value.isEmpty()) {
            NodeTuple present = entries.get(key);
            if (present == null) {
                reader.problems().add(node, path(key), "required field is missing");
            } else {
                reader.problems().add(present.getKeyNode(), path(key), "required field has no value");
            }
        }
        return value.flatMap(v -> converter.convert(v, path(key)));
    }

    /** Where {@code key}'s value is written, or this mapping if it is not: where to report a cross-field error. */
    Node at(String key) {
        NodeTuple entry = entries.get(key);
        return entry == null ? node : entry.getValueNode();
    }

    /** Reports every key that was never asked for. */
    void finish() {
        entries.forEach((key, tuple) -> {
            if (!known.contains(key) && !key.startsWith(IGNORED_PREFIX)) {
                reader.problems().add(tuple.getKeyNode(), path(key), "unknown key"
                        + Suggestions.didYouMean(key, known) + " (expected one of: " + String.join(", ", known) + ")");
            }
        });
    }

    private Optional<String> keyOf(NodeTuple tuple) {
        Node key = tuple.getKeyNode();
        if (key instanceof ScalarNode scalar && !NodeReader.isNull(key)) {
            return Optional.of(scalar.getValue());
        }
        reader.problems().add(key, path, "expected a plain key, found " + NodeReader.describe(key) + " as a key");
        return Optional.empty();
    }

    private void merge(Node merged) {
        List<Node> sources = merged instanceof SequenceNode sequence ? sequence.getValue() : List.of(merged);
        for (Node source : sources) {
            if (source instanceof MappingNode mapping) {
                for (NodeTuple tuple : mapping.getValue()) {
                    if (tuple.getKeyNode() instanceof ScalarNode key && !key.getValue().equals(MERGE_KEY)) {
                        entries.putIfAbsent(key.getValue(), tuple);
                    }
                }
            } else {
                reader.problems().add(source, path(MERGE_KEY),
                        "expected a mapping (or a list of them) to merge, found " + NodeReader.describe(source));
            }
        }
    }
}
