package io.infergate.core.scale;

import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * The {@link NodeProviderFactory}s on the class path, by type.
 *
 * <pre>{@code
 * NodeProvider provider = NodeProviders.create("command", Map.of("command", "./scale.sh"));
 * Set<String> known = NodeProviders.types();
 * }</pre>
 */
public final class NodeProviders {

    private NodeProviders() {
    }

    /** Every factory found, by type, sorted. */
    public static Map<String, NodeProviderFactory> factories() {
        Map<String, NodeProviderFactory> byType = new TreeMap<>();
        for (NodeProviderFactory factory : ServiceLoader.load(NodeProviderFactory.class)) {
            byType.putIfAbsent(factory.type(), factory);
        }
        return byType;
    }

    /**
     * A provider of {@code type} configured by {@code settings}.
     *
     * @throws IllegalArgumentException when no factory has that type, or the settings are invalid
     */
    public static NodeProvider create(String type, Map<String, String> settings) {
        Map<String, NodeProviderFactory> factories = factories();
        NodeProviderFactory factory = factories.get(type);
        if (factory == null) {
            throw new IllegalArgumentException("provider type: " + type + " (expected: one of " + factories.keySet() + ")");
        }
        return factory.create(settings);
    }
}
