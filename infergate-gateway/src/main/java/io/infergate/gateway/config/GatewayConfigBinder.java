package io.infergate.gateway.config;

import io.infergate.gateway.security.HostResolver;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.List;
import java.util.Optional;

/**
 * Binds a composed YAML document to a {@link GatewayConfig}: the sections of {@link ConfigSection}, in
 * its order, each by its own binder. Every problem goes to the reader's {@link Problems}; the result
 * is empty when a required part is missing.
 */
final class GatewayConfigBinder {

    private final NodeReader reader;
    private final SectionBinders binders;

    /** @param resolver resolves endpoint host names, whose every address is checked against the pool's rules */
    GatewayConfigBinder(NodeReader reader, HostResolver resolver) {
        this.reader = reader;
        this.binders = SectionBinders.of(reader, resolver);
    }

    Optional<GatewayConfig> bind(Node document) {
        return reader.mapping(document, "").flatMap(root -> {
            BoundSections bound = new BoundSections();
            for (ConfigSection section : ConfigSection.values()) {
                section.bind(binders, root, bound);
            }
            root.finish();
            return bound.config(binders.autoscaler());
        });
    }

    /**
     * One endpoint joining a running gateway ({@code POST /admin/endpoints}): the keys of a pool's
     * endpoint entry, and {@code pool}, one of {@code pools}, whose server type and models it takes.
     */
    Optional<EndpointConfig> joiningEndpoint(Node document, List<PoolConfig> pools) {
        return binders.pools().joiningEndpoint(document, pools);
    }
}
