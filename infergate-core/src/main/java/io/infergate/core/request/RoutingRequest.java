package io.infergate.core.request;

import java.util.Objects;

/**
 * What the scheduler knows of one inference request: only the fields routing needs, read from the
 * body without re-serialising it.
 *
 * <pre>{@code
 * RoutingRequest request = new RoutingRequest(requestId, "llama-3.1-8b-instruct", 812, 256, true,
 *         "critical", "fraud", "eu-west", PromptPrefixHasher.hash(body, promptStart, promptEnd));
 * }</pre>
 *
 * @param requestId    the gateway's id for the request ({@code x-infergate-request-id})
 * @param model        requested model name, after alias resolution
 * @param promptTokens estimated prompt length in tokens (bytes / 4 when not tokenised)
 * @param maxTokens    requested output bound, or -1 when the client gave none
 * @param stream       whether the client asked for a streamed response
 * @param priority     priority class name, e.g. {@code critical}
 * @param tenant       tenant name, or {@code ""} when the gateway is open
 * @param clientRegion region the client is in, or {@code ""} when unknown
 * @param prefixHashes hashes of the prompt's leading blocks, chained so that hash {@code i} covers
 *                     blocks {@code 0..i}; {@link #NO_PREFIX} when unknown. The prompt text itself is
 *                     never kept. Not copied: the caller hands the array over and must not change it
 */
public record RoutingRequest(
        String requestId,
        String model,
        int promptTokens,
        int maxTokens,
        boolean stream,
        String priority,
        String tenant,
        String clientRegion,
        long[] prefixHashes) {

    /** The prefix hashes of a request whose prompt was not hashed. */
    public static final long[] NO_PREFIX = new long[0];

    public RoutingRequest {
        Objects.requireNonNull(requestId, "requestId");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(priority, "priority");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(clientRegion, "clientRegion");
        Objects.requireNonNull(prefixHashes, "prefixHashes");
    }

    /** A request with only the model known; for tests and tools. */
    public static RoutingRequest forModel(String requestId, String model) {
        return new RoutingRequest(requestId, model, 0, -1, false, "standard", "", "", NO_PREFIX);
    }

    /** A copy for another model: the request goes to an alias's model or to a fallback. */
    public RoutingRequest withModel(String model) {
        return new RoutingRequest(requestId, model, promptTokens, maxTokens, stream, priority, tenant, clientRegion,
                prefixHashes);
    }

    /** A copy carrying {@code prefixHashes}. */
    public RoutingRequest withPrefixHashes(long[] prefixHashes) {
        return new RoutingRequest(requestId, model, promptTokens, maxTokens, stream, priority, tenant, clientRegion,
                prefixHashes);
    }
}
