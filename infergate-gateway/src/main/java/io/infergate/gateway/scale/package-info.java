/**
 * Running the core's {@link io.infergate.core.scale.PoolScaler} against live gateways: {@code PoolAutoscaler}
 * does its I/O (a timer, the node provider's calls, the fleet's membership changes) against a
 * {@code ScalingTarget}: the gateway it runs in, or {@code RemoteScalingTarget} over the admin APIs of
 * gateways (each one's {@code PoolLoad}), for {@code StandaloneAutoscaler} and {@code infergate autoscale}.
 * Also the node providers the gateway itself ships: {@code CommandNodeProvider} (the {@code command}
 * provider, found through {@code CommandNodeProviderFactory}); the {@code emulated} provider lives in the
 * emulator module. Start with {@code PoolAutoscaler.evaluate}, then the core's {@code PoolScaler}.
 */
package io.infergate.gateway.scale;
