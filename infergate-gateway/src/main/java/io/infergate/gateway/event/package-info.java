/**
 * What happens to requests on their way through the gateway, for those who listen: an
 * {@link io.infergate.gateway.event.ExchangeObserver} hears each attempt sent to an endpoint and
 * returns an {@link io.infergate.gateway.event.AttemptObserver} that hears the rest of that attempt
 * (first token, tokens, the answer's length, or its end without one). The latency predictor learns
 * from them. The proxy fires them on the request's event loop; an observer that ignores an event costs
 * nothing for it.
 */
package io.infergate.gateway.event;
