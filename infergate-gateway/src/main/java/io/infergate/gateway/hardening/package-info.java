/**
 * Defences against hostile clients that Vert.x and Netty do not provide by themselves.
 *
 * <p>Start reading at {@link io.infergate.gateway.hardening.HostileInput}, which puts them all on a server:
 * {@link io.infergate.gateway.hardening.SlowClientGuard} (slowloris, idle connections),
 * {@link io.infergate.gateway.hardening.ClientConnections} (connections per client address) and
 * {@link io.infergate.gateway.hardening.RequestFraming} (smuggling). Before Vert.x sees a connection,
 * {@link io.infergate.gateway.hardening.AcceptGate} counts it against its client address on the listening
 * socket, before any TLS work; {@link io.infergate.gateway.hardening.GatedTransport} puts it there, and puts
 * {@link io.infergate.gateway.hardening.ConnectGuard} on every outbound connection, which checks the address
 * it resolved to against the endpoints' address rules (DNS rebinding). Header, request-line and HTTP/2 limits
 * (concurrent streams, resets) are Vert.x server options set by the gateway from {@code limits:};
 * header sanitising towards endpoints is in {@link io.infergate.gateway.proxy.Headers}.
 */
package io.infergate.gateway.hardening;
