package io.infergate.loadgen.client;

import io.vertx.core.buffer.Buffer;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

/**
 * One HTTP POST ready to send.
 *
 * @param target  base URL of the target, e.g. {@code http://127.0.0.1:8080}
 * @param path    request path, e.g. {@code /v1/chat/completions}
 * @param headers extra headers (content type is always JSON)
 * @param body    JSON body
 * @param stream  whether the body asks for a server-sent-event stream
 */
public record OutgoingRequest(URI target, String path, Map<String, String> headers, Buffer body, boolean stream) {

    public OutgoingRequest {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(path, "path");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body");
    }
}
