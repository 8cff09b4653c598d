package io.infergate.loadgen.bench;

/**
 * How the bench configures infergate's flow control for a scenario: the {@code flow_control:} section
 * of the gateway's config.
 *
 * <pre>{@code
 * GatewayFlow flow = BenchScenario.PRIORITY.gatewayFlow();     // places kept for critical on every server
 * String yaml = ProxyConfigs.infergate(port, adminPort, members, model, flow.off());
 * }</pre>
 *
 * @param enabled                whether flow control is on; {@code infergate-no-flow} runs with it off
 * @param maxRequestsPerEndpoint requests one server may hold (waiting and running) before the gateway
 *                               queues the rest: the servers' running-batch size; 0 for no such bound
 * @param reservedForCritical    share of each server kept for {@code critical} requests
 */
public record GatewayFlow(boolean enabled, int maxRequestsPerEndpoint, double reservedForCritical) {

    /** The gateway's own defaults: nothing written to its config. */
    public static final GatewayFlow DEFAULT = new GatewayFlow(true, 0, 0.2);

    public GatewayFlow {
        if (maxRequestsPerEndpoint < 0) {
            throw new IllegalArgumentException("maxRequestsPerEndpoint: " + maxRequestsPerEndpoint + " (expected: >= 0)");
        }
        if (!(reservedForCritical >= 0 && reservedForCritical < 1)) {
            throw new IllegalArgumentException("reservedForCritical: " + reservedForCritical + " (expected: >= 0 and < 1)");
        }
    }

    /** The same settings with flow control switched off. */
    public GatewayFlow off() {
        return new GatewayFlow(false, maxRequestsPerEndpoint, reservedForCritical);
    }
}
