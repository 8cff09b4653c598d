package io.infergate.loadgen.bench;

import java.util.Objects;
import java.util.OptionalDouble;

/**
 * How the bench configures infergate's flow control for a scenario: the {@code flow_control:} section
 * of the gateway's config.
 *
 * <pre>{@code
 * GatewayFlow tuned = BenchScenario.PRIORITY.gatewayFlow(SystemKind.INFERGATE_TUNED);  // places kept on every server
 * String yaml = ProxyConfigs.infergate(port, adminPort, members, model, tuned.off());
 * }</pre>
 *
 * @param enabled                whether flow control is on; {@code infergate-no-flow} runs with it off
 * @param maxRequestsPerEndpoint requests one server may hold (waiting and running) before the gateway
 *                               queues the rest: the servers' running-batch size; 0 for the batch size the
 *                               gateway learns
 * @param reservedForCritical    share of each server kept for {@code critical} requests; empty for the
 *                               gateway's default, a reserve that follows critical demand
 */
public record GatewayFlow(boolean enabled, int maxRequestsPerEndpoint, OptionalDouble reservedForCritical) {

    /** The gateway's own defaults: nothing written to its config. */
    public static final GatewayFlow DEFAULT = new GatewayFlow(true, 0, OptionalDouble.empty());

    public GatewayFlow {
        Objects.requireNonNull(reservedForCritical, "reservedForCritical");
        if (maxRequestsPerEndpoint < 0) {
            throw new IllegalArgumentException("maxRequestsPerEndpoint: " + maxRequestsPerEndpoint + " (expected: >= 0)");
        }
        if (reservedForCritical.isPresent()
                && !(reservedForCritical.getAsDouble() >= 0 && reservedForCritical.getAsDouble() < 1)) {
            throw new IllegalArgumentException("reservedForCritical: " + reservedForCritical.getAsDouble()
                    + " (expected: >= 0 and < 1)");
        }
    }

    /** Each server bounded at {@code maxRequestsPerEndpoint}, with a fixed share of it kept for critical. */
    public static GatewayFlow fixed(int maxRequestsPerEndpoint, double reservedForCritical) {
        return new GatewayFlow(true, maxRequestsPerEndpoint, OptionalDouble.of(reservedForCritical));
    }

    /** The same settings with flow control switched off. */
    public GatewayFlow off() {
        return new GatewayFlow(false, maxRequestsPerEndpoint, reservedForCritical);
    }
}
