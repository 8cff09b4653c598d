package io.infergate.core.request;

import java.util.Objects;

/**
 * What the scheduler knows of one inference request: only the fields routing needs, read from the
 * body without re-serialising it.
 *
 * @param requestId    the gateway's id for the request ({@code x-infergate-request-id})
 * @param model        requested model name, after alias resolution
 * @param promptTokens estimated prompt length in tokens (bytes / 4 when not tokenised)
 * @param maxTokens    requested output bound, or -1 when the client gave none
 * @param stream       whether the client asked for a streamed response
 * @param priority     priority class name, e.g. {@code critical}
 * @param tenant       tenant name, or {@code ""} when the gateway is open
 * @param clientRegion region the client is in, or {@code ""} when unknown
 */
public record RoutingRequest(
        String requestId,
        String model,
        int promptTokens,
        int maxTokens,
        boolean stream,
        String priority,
        String tenant,
        String clientRegion) {

    public RoutingRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(clientRegion, "clientRegion");
    }

    /** A request with only the model known; for tests and tools. */
    public static RoutingRequest forModel(String requestId, String model) {
        return new RoutingRequest(requestId, model, 0, -1, false, "standard", "", "");
    }
}
