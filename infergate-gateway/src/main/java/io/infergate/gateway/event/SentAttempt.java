package io.infergate.gateway.event;

import io.infergate.core.fleet.Endpoint;
import io.infergate.core.fleet.EndpointLoad;
import io.infergate.core.request.RoutingRequest;

import java.util.Objects;

/**
 * One attempt of a request, as it is sent: a retry or a hedge is an attempt of its own.
 *
 * @param request   the request, as routed (its model may be a fallback)
 * @param endpoint  where it goes
 * @param load      the endpoint's load at the last scrape
 * @param inFlight  the gateway's requests in flight to the endpoint before this one
 * @param sentNanos when it is sent, on the gateway's ticker
 */
public record SentAttempt(RoutingRequest request, Endpoint endpoint, EndpointLoad load, int inFlight, long sentNanos) {

    public SentAttempt {
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(load, "load");
    }
}
