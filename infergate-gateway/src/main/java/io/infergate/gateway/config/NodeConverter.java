package io.infergate.gateway.config;

import org.snakeyaml.engine.v2.nodes.Node;

import java.util.Optional;

/**
 * Turns one YAML node into a value, or reports why it cannot and returns empty.
 *
 * @param <T> the value's type
 */
@FunctionalInterface
interface NodeConverter<T> {

    /** @param path the field path of {@code node}, for error messages */
    Optional<T> convert(Node node, String path);
}
