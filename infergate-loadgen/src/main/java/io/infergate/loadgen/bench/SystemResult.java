package io.infergate.loadgen.bench;

import io.infergate.loadgen.report.LoadReport;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the bench measured for one system.
 *
 * @param kind      which system
 * @param report    the measured run, in full
 * @param proxy     the proxy's cost, for the scenarios that measure it and the systems that have a proxy
 * @param rateSteps the rate search, for the scenarios that search (also run for {@code direct}: the rig's own ceiling)
 * @param flow      what infergate's own metrics said about flow control; empty for the other systems
 * @param prediction what infergate's own metrics said about its latency predictions; empty for the other systems
 * @param faults    how it came through the faults, in the {@code faults} scenario
 * @param prefix    the fleet's prefix-cache hit rate and the TTFT, in the {@code prefix} scenario
 * @param attack    the legitimate traffic's figures in each phase, and what the attacker achieved, in {@code attack}
 */
public record SystemResult(SystemKind kind, LoadReport report, Optional<ProxyFigures> proxy, List<RateStep> rateSteps,
                           Optional<GatewayFlowFigures> flow, Optional<PredictionErrorFigures> prediction,
                           Optional<FaultFigures> faults,
                           Optional<PrefixFigures> prefix, Optional<AttackFigures> attack) {

    public SystemResult {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(report, "report");
        Objects.requireNonNull(proxy, "proxy");
        rateSteps = List.copyOf(rateSteps);
        Objects.requireNonNull(flow, "flow");
        Objects.requireNonNull(prediction, "prediction");
        Objects.requireNonNull(faults, "faults");
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(attack, "attack");
    }
}
