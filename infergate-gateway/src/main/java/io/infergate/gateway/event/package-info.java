/**
 * What happens to requests on their way through the gateway, for those who listen: an
 * {@link io.infergate.gateway.event.ExchangeObserver} hears each pick, each attempt sent to an endpoint,
 * the first byte of the response relayed, each failed attempt, each attempt's end and the request's end
 * ({@link io.infergate.gateway.event.ExchangeEnd}, with its {@link io.infergate.gateway.event.Outcome}).
 * For an attempt it wants to follow chunk by chunk it returns an
 * {@link io.infergate.gateway.event.AttemptObserver} (first token, tokens, the answer's length). The
 * request metrics, the pick log, passive health, flow control's capacity release and the latency
 * predictor listen here. The proxy fires the events on the request's event loop; an observer that
 * ignores an event costs nothing for it, and no token is counted unless an observer asked to hear them.
 */
package io.infergate.gateway.event;
