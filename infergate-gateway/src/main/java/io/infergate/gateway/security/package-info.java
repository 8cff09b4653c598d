/**
 * API keys, tenants and rate limits. Start with {@link io.infergate.gateway.security.AccessControl}, which
 * builds everything from the config, then {@link io.infergate.gateway.security.AccessGuard}, the check every
 * inference request passes (key, model, concurrency, requests and tokens per minute). Keys:
 * {@link io.infergate.gateway.security.ApiKey} (what a client holds: a key the gateway minted, or one of the
 * user's own), {@link io.infergate.gateway.security.KeyHash}
 * (what is stored), {@link io.infergate.gateway.security.KeyRegistry} (config keys plus a
 * {@link io.infergate.gateway.security.KeyStore} of runtime ones, in memory or in Redis). Limits:
 * {@link io.infergate.gateway.security.RateLimiter}, local or in Redis through one
 * {@link io.infergate.gateway.security.RedisLink}. Endpoint addresses:
 * {@link io.infergate.gateway.security.EndpointAddressPolicy} (no link-local or cloud-metadata address, a
 * pool's {@link io.infergate.gateway.security.AllowedEndpoint}s), over
 * {@link io.infergate.gateway.security.IpLiterals} and a {@link io.infergate.gateway.security.HostResolver}.
 */
package io.infergate.gateway.security;
