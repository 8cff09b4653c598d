/**
 * Scaling policies: turn the state of a pool into decisions to add or release nodes. Start with
 * {@link io.infergate.core.scale.Autoscaler}: its javadoc states the precedence of the policies (bounds
 * and schedule windows, burst, the hot-plug rule and the utilisation band, cool-downs). It reads a
 * {@link io.infergate.core.scale.PoolState} of {@link io.infergate.core.scale.Node}s, is configured by
 * {@link io.infergate.core.scale.AutoscalerConfig} (with {@link io.infergate.core.scale.Schedule},
 * {@link io.infergate.core.scale.ScheduleWindow} and {@link io.infergate.core.scale.HybridPool}) and
 * answers a {@link io.infergate.core.scale.Decision}; {@code NodeSelection} picks which nodes a decision
 * names, {@code QueueGrowth} tells the burst's growth trigger whether the requests a pool holds are
 * rising steadily. {@link io.infergate.core.scale.PoolScaler} is what a host runs: it turns each
 * {@link io.infergate.core.scale.PoolReading} of the fleet into a {@link io.infergate.core.scale.ScalingRound}
 * (the decision, and the nodes to start, drain and stop), keeping the books on starting, draining and
 * stopped nodes ({@code NodeLedger}), each node's utilisation ({@code UtilisationRule},
 * {@code UtilisationSmoother}), the pool's cost ({@code CostMeter}) and its recent decisions
 * ({@code DecisionLog}). Nothing here does I/O or reads a clock of its own.
 */
package io.infergate.core.scale;
