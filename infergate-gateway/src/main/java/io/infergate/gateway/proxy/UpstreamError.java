package io.infergate.gateway.proxy;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

/**
 * A 5xx answer an endpoint gave before anything reached the client, read in full and kept: it is
 * relayed as it came only when no retry follows.
 *
 * <pre>{@code
 * UpstreamError error = new UpstreamError(503, headers, body, "ep1");
 * error.sendTo(response, requestId);
 * }</pre>
 *
 * @param endpointId the endpoint that gave it, named in {@code x-infergate-endpoint}
 */
record UpstreamError(int status, MultiMap headers, Buffer body, String endpointId) {

    /** Answers the client with this error, its end-to-end headers and the gateway's own. */
    void sendTo(HttpServerResponse response, String requestId) {
        response.setStatusCode(status);
        Headers.copyEndToEnd(headers, response.headers());
        response.putHeader(Headers.ENDPOINT, endpointId);
        response.putHeader(Headers.REQUEST_ID, requestId);
        // The body was read in full: its length replaces the endpoint's framing.
        response.headers().remove(HttpHeaders.TRANSFER_ENCODING);
        response.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
        response.end(body);
    }
}
