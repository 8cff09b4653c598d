/**
 * Running the core's {@link io.infergate.core.scale.Autoscaler}: {@code PoolAutoscaler} evaluates it against
 * a {@code ScalingTarget} (the gateway it runs in, or {@code RemoteScalingTarget} over the admin APIs of
 * gateways, for {@code StandaloneAutoscaler} and {@code infergate autoscale}), and the node providers the
 * gateway itself ships: {@code CommandNodeProvider} (the {@code command} provider, found through
 * {@code CommandNodeProviderFactory}); the {@code emulated} provider lives in the emulator module.
 * Start with {@code PoolAutoscaler.evaluate}.
 */
package io.infergate.gateway.scale;
