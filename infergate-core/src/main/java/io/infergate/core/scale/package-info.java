/**
 * Scaling policies: turn the state of a pool into decisions to add or release nodes. Start with
 * {@link io.infergate.core.scale.Autoscaler}: its javadoc states the precedence of the policies (bounds
 * and schedule windows, burst, the hot-plug rule and the utilisation band, cool-downs). It reads a
 * {@link io.infergate.core.scale.PoolState} of {@link io.infergate.core.scale.Node}s, is configured by
 * {@link io.infergate.core.scale.AutoscalerConfig} (with {@link io.infergate.core.scale.Schedule},
 * {@link io.infergate.core.scale.ScheduleWindow} and {@link io.infergate.core.scale.HybridPool}) and
 * answers a {@link io.infergate.core.scale.Decision}; {@code NodeSelection} picks which nodes a decision
 * names, {@code QueueGrowth} tells the burst's growth trigger whether the requests a pool holds are
 * rising steadily. Nothing here does I/O or reads a clock of its own.
 */
package io.infergate.core.scale;
