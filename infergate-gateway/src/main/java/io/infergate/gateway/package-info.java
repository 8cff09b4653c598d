/**
 * The running gateway. Start with {@link io.infergate.gateway.Gateway}: {@code Gateway.start(config)} builds
 * the fleet state, scrapers and probes, resilience, flow control, API keys and limits and the metrics, then
 * deploys one {@code DataPlaneVerticle} per core (an HTTP server on the shared data port and a client to the
 * endpoints) and the admin listener; {@code shutdown()} drains them, {@code close()} stops them at once.
 * {@link io.infergate.gateway.ServeCommand} is {@code infergate serve}, which drains on the first SIGTERM or
 * SIGINT and stops at once on a second ({@code StopSignals}); {@code GatewayScalingTarget} is the gateway as
 * its own autoscaler sees it. The request path is in {@code proxy}, its routes in {@code api}, the admin
 * API in {@code admin}; {@code config} reads the configuration file.
 */
package io.infergate.gateway;
