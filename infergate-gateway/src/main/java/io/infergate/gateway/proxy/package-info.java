/**
 * The data plane's request path: {@link io.infergate.gateway.proxy.InferenceProxy} collects a request's
 * body and hands it to a {@code ProxyExchange}, which takes it through the {@link
 * io.infergate.gateway.proxy.AdmissionGuard}, flow control, the pick ({@code EndpointPicker}), its
 * attempts ({@code Attempt}, raced by {@code LiveAttempts} when hedged), retries and model fallbacks, and
 * the relay of the response ({@code ResponseRelay}), moving through its {@code ExchangeState}s. Start
 * reading at {@code ProxyExchange}; the shared failure-handling state is
 * {@link io.infergate.gateway.proxy.Resilience}. What happens on the way goes to the exchange observers
 * ({@code io.infergate.gateway.event}); {@link io.infergate.gateway.proxy.PassiveHealth} and
 * {@link io.infergate.gateway.proxy.PrefixRecording} are two of them.
 */
package io.infergate.gateway.proxy;
