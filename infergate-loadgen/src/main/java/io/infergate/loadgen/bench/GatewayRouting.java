package io.infergate.loadgen.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code routing:} settings an infergate bench system pins in the gateway's config; whatever it
 * leaves out keeps the gateway's default, so that {@code infergate} measures what users get.
 *
 * <pre>{@code
 * GatewayRouting predicted = GatewayRouting.scheduler("predicted-latency");
 * String yaml = predicted.yaml();     // "routing: {scheduler: predicted-latency}\n"
 * }</pre>
 *
 * @param scheduler      {@code routing.scheduler}, e.g. {@code load-aware}; empty for the gateway's default
 * @param prefixAffinity {@code routing.prefix_affinity}; true is the gateway's default and is not written
 */
public record GatewayRouting(Optional<String> scheduler, boolean prefixAffinity) {

    /** The gateway's own routing defaults: no {@code routing:} section at all. */
    public static final GatewayRouting DEFAULT = new GatewayRouting(Optional.empty(), true);

    public GatewayRouting {
        Objects.requireNonNull(scheduler, "scheduler");
    }

    /** The gateway's defaults but for its scheduler, e.g. {@code predicted-latency}. */
    public static GatewayRouting scheduler(String name) {
        return new GatewayRouting(Optional.of(name), DEFAULT.prefixAffinity());
    }

    /** The gateway's defaults with prefix affinity switched off. */
    public static GatewayRouting withoutPrefixAffinity() {
        return new GatewayRouting(Optional.empty(), false);
    }

    /** The {@code routing:} line of the gateway's config; empty when every setting is the gateway's default. */
    public String yaml() {
        List<String> settings = new ArrayList<>();
        scheduler.ifPresent(s -> settings.add("scheduler: " + s));
        if (!prefixAffinity) {
            settings.add("prefix_affinity: false");
        }
        return settings.isEmpty() ? "" : "routing: {" + String.join(", ", settings) + "}\n";
    }
}
