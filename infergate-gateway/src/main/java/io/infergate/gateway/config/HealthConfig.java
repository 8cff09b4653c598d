package io.infergate.gateway.config;

import java.time.Duration;
import java.util.Objects;

/**
 * Active health probes ({@code health:}, in milliseconds in the file): each endpoint's server-type
 * health path ({@link ServerType#healthPath()}) is fetched on a fixed interval, and a probe that fails
 * or takes longer than {@code probeTimeout} counts as failed.
 *
 * <pre>{@code
 * vertx.setPeriodic(config.health().probeInterval().toMillis(), id -> probeAll());
 * }</pre>
 *
 * @param probeInterval time between two probes of one endpoint; default 1000 ms
 * @param probeTimeout  how long one probe may take; default 500 ms: a health path answers in milliseconds,
 *                      and with two failed probes in a row ejecting, a hung endpoint is out within 2.5 s
 * @param latencyFactor an endpoint whose recent mean latency exceeds this many times its pool's median
 *                      is ejected ({@code latency_factor}, above 1); default 3
 * @param stallDetection how a hung endpoint is noticed before its probes fail ({@code stall_detection}); on
 *                      by default
 */
public record HealthConfig(Duration probeInterval, Duration probeTimeout, double latencyFactor,
                           StallDetectionConfig stallDetection) {

    public static final HealthConfig DEFAULT =
            new HealthConfig(Duration.ofMillis(1000), Duration.ofMillis(500), 3, StallDetectionConfig.DEFAULT);

    public HealthConfig {
        Objects.requireNonNull(probeInterval, "probeInterval");
        Objects.requireNonNull(probeTimeout, "probeTimeout");
        Objects.requireNonNull(stallDetection, "stallDetection");
    }
}
