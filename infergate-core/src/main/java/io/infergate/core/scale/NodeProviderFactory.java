package io.infergate.core.scale;

import java.util.Map;

/**
 * Creates a {@link NodeProvider} of one type from its configuration settings. Implementations are
 * found with {@link java.util.ServiceLoader} (list them in
 * {@code META-INF/services/io.infergate.core.scale.NodeProviderFactory}), so a module can add a
 * provider the gateway does not depend on; {@link NodeProviders} looks them up by type.
 *
 * <pre>{@code
 * public final class EmulatedNodeProviderFactory implements NodeProviderFactory {
 *     public String type() { return "emulated"; }
 *     public NodeProvider create(Map<String, String> settings) { ... }
 * }
 * }</pre>
 */
public interface NodeProviderFactory {

    /** The name that selects it in the configuration, e.g. {@code emulated}. */
    String type();

    /**
     * A provider configured by {@code settings} (the keys of the configuration's {@code provider:}
     * mapping other than {@code type}, with their values as text).
     *
     * @throws IllegalArgumentException naming the setting that is unknown or invalid, and what was expected
     */
    NodeProvider create(Map<String, String> settings);
}
