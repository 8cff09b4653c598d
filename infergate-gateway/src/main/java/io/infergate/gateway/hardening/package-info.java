/**
 * Defences against hostile clients that Vert.x and Netty do not provide by themselves.
 *
 * <p>Start reading at {@link io.infergate.gateway.hardening.SlowClientGuard} (slowloris). Header and
 * request-line size limits are Vert.x server options set by the gateway from {@code limits:};
 * header sanitising towards endpoints is in {@link io.infergate.gateway.proxy.Headers}.
 */
package io.infergate.gateway.hardening;
