/**
 * The data plane's request path: {@link io.infergate.gateway.proxy.InferenceProxy} collects a request's
 * body and hands it to a {@code ProxyExchange}, which takes it through the {@link
 * io.infergate.gateway.proxy.AdmissionGuard}, flow control, the pick ({@code EndpointPicker}), its
 * attempts ({@code Attempt}, raced by {@code LiveAttempts} when hedged), retries and model fallbacks, and
 * the relay of the response ({@code ResponseRelay}). Start reading at {@code ProxyExchange}; the shared
 * failure-handling state is {@link io.infergate.gateway.proxy.Resilience}.
 */
package io.infergate.gateway.proxy;
