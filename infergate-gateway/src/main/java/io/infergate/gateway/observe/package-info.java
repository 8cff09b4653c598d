/**
 * What the gateway tells about itself. {@link io.infergate.gateway.observe.GatewayMetrics} defines every
 * exported metric once (names and labels in {@code docs/metrics.md}), with meters cached per label set
 * ({@code LabelledCounters}) so that the request path does no registry lookup;
 * {@link io.infergate.gateway.observe.RequestMetrics} records the per-request ones as it hears the
 * exchange's events. {@link io.infergate.gateway.observe.PickLog} keeps the last picks with everything they
 * were decided on, so that {@code /admin/picks} explains each one by replaying the scheduler.
 */
package io.infergate.gateway.observe;
