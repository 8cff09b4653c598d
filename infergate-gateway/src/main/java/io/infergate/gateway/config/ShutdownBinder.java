package io.infergate.gateway.config;

import org.snakeyaml.engine.v2.nodes.Node;

import java.time.Duration;
import java.util.Optional;

/** The {@code shutdown:} section: how long the gateway keeps serving, then draining, after SIGTERM. */
final class ShutdownBinder {

    private final Converters convert;

    ShutdownBinder(Converters convert) {
        this.convert = convert;
    }

    Optional<ShutdownConfig> bind(Node node, String path) {
        NodeReader reader = convert.reader();
        return reader.mapping(node, path).map(m -> {
            ShutdownConfig defaults = ShutdownConfig.DEFAULT;
            Duration grace = m.optional("grace_ms", convert.millisIn(0, Converters.MAX_MILLIS), defaults.grace());
            Duration drainTimeout = m.optional("drain_timeout_ms", convert.millis(), defaults.drainTimeout());
            boolean reusePort = m.optional("reuse_port", reader::bool, defaults.reusePort());
            m.finish();
            return new ShutdownConfig(grace, drainTimeout, reusePort);
        });
    }
}
