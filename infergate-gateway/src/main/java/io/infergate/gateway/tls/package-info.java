/**
 * TLS for the gateway's listeners and for its connections to endpoints.
 *
 * <p>Start reading at {@link io.infergate.gateway.tls.ListenerTls}: it turns a listener's PEM files into
 * Vert.x server options (HTTP/2 and HTTP/1.1 offered through ALPN) and, once the servers listen, checks
 * the files' modification times and hands changed certificates to the running servers without a restart.
 * {@link io.infergate.gateway.tls.BackendTls} configures the HTTP client towards {@code https://}
 * endpoints: trusted authorities and the client certificate for mTLS.
 */
package io.infergate.gateway.tls;
