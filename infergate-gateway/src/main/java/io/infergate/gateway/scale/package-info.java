/**
 * Running the core's {@link io.infergate.core.scale.Autoscaler} in the gateway, and the node providers
 * the gateway itself ships. Start with {@code CommandNodeProvider} (the {@code command} provider, found
 * through {@code CommandNodeProviderFactory}); the {@code emulated} provider lives in the emulator module.
 */
package io.infergate.gateway.scale;
