package io.infergate.gateway.config;

import org.snakeyaml.engine.v2.nodes.Node;

import java.time.Duration;
import java.util.Optional;

/** The {@code health:} section: active probes, the latency outlier factor and stall detection. */
final class HealthBinder {

    private final Converters convert;
    private final NodeReader reader;

    HealthBinder(Converters convert) {
        this.convert = convert;
        this.reader = convert.reader();
    }

    Optional<HealthConfig> bind(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            HealthConfig defaults = HealthConfig.DEFAULT;
            Duration probeInterval = m.optional("probe_interval_ms", convert.millis(), defaults.probeInterval());
            Duration probeTimeout = m.optional("probe_timeout_ms", convert.millis(), defaults.probeTimeout());
            double latencyFactor = m.optional("latency_factor", reader::nonNegative, defaults.latencyFactor());
            if (latencyFactor <= 1) {
                reader.problems().add(m.at("latency_factor"), m.path("latency_factor"),
                        "expected a number above 1, found " + latencyFactor);
            }
            StallDetectionConfig stallDetection = m.optional("stall_detection", this::stallDetection,
                    defaults.stallDetection());
            m.finish();
            return new HealthConfig(probeInterval, probeTimeout, latencyFactor, stallDetection);
        });
    }

    private Optional<StallDetectionConfig> stallDetection(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            StallDetectionConfig defaults = StallDetectionConfig.DEFAULT;
            boolean enabled = m.optional("enabled", reader::bool, defaults.enabled());
            double multiplier = m.optional("multiplier",
                    convert.decimal("at least 1", v -> v >= 1 && !Double.isInfinite(v)), defaults.multiplier());
            Duration min = m.optional("min_ms", convert.millis(), defaults.min());
            m.finish();
            return new StallDetectionConfig(enabled, multiplier, min);
        });
    }
}
