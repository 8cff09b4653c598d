package io.infergate.emulator;

import java.time.Duration;
import java.util.Objects;

/**
 * Which faults an emulated server injects. Durations are wall-clock time: the emulator's speed factor
 * scales the engine, not the faults.
 *
 * <pre>{@code
 * EmulatorOptions.builder().faults(FaultSettings.NONE.withErrorRate(0.05)).build();
 * }</pre>
 *
 * @param errorRate                share of API requests answered with a 500 before any other byte, 0..1
 * @param latencySpikeProbability  share of API requests held back before they reach the engine, 0..1
 * @param latencySpike             how long such a request is held back
 * @param hang                     API requests and health checks are accepted and never answered
 * @param dieAfterTokens           streams are cut (connection closed) after this many tokens; -1 for never.
 *                                 A request that is not streamed loses its connection at that point instead.
 * @param refuse                   the server does not listen: connections are refused
 */
public record FaultSettings(
        double errorRate,
        double latencySpikeProbability,
        Duration latencySpike,
        boolean hang,
        int dieAfterTokens,
        boolean refuse) {

    /** No faults at all. */
    public static final FaultSettings NONE = new FaultSettings(0, 0, Duration.ZERO, false, -1, false);

    public FaultSettings {
        requireShare("errorRate", errorRate);
        requireShare("latencySpikeProbability", latencySpikeProbability);
        Objects.requireNonNull(latencySpike, "latencySpike");
        if (latencySpike.isNegative()) {
            throw new IllegalArgumentException("latencySpike: " + latencySpike + " (expected: >= 0)");
        }
        if (dieAfterTokens < -1) {
            throw new IllegalArgumentException("dieAfterTokens: " + dieAfterTokens + " (expected: >= 0, or -1 for never)");
        }
    }

    public FaultSettings withErrorRate(double errorRate) {
        return new FaultSettings(errorRate, latencySpikeProbability, latencySpike, hang, dieAfterTokens, refuse);
    }

    public FaultSettings withLatencySpikes(double probability, Duration spike) {
        return new FaultSettings(errorRate, probability, spike, hang, dieAfterTokens, refuse);
    }

    public FaultSettings withHang(boolean hang) {
        return new FaultSettings(errorRate, latencySpikeProbability, latencySpike, hang, dieAfterTokens, refuse);
    }

    public FaultSettings withDieAfterTokens(int dieAfterTokens) {
        return new FaultSettings(errorRate, latencySpikeProbability, latencySpike, hang, dieAfterTokens, refuse);
    }

    public FaultSettings withRefuse(boolean refuse) {
        return new FaultSettings(errorRate, latencySpikeProbability, latencySpike, hang, dieAfterTokens, refuse);
    }

    private static void requireShare(String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(field + ": " + value + " (expected: 0..1)");
        }
    }
}
