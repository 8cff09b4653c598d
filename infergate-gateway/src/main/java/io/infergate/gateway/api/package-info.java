/**
 * The data plane's OpenAI-compatible surface. Start with {@link io.infergate.gateway.api.DataPlaneRouter}:
 * inference calls go to the proxy, {@code GET /v1/models} answers a {@link io.infergate.gateway.api.ModelList},
 * {@code /health} answers load balancers. A request body is read within its limit by
 * {@link io.infergate.gateway.api.BoundedBody}, then its routing fields by
 * {@link io.infergate.gateway.api.InferenceBodyReader} into an {@link io.infergate.gateway.api.InferenceBody},
 * with Jackson's streaming parser and nothing re-serialised; {@link io.infergate.gateway.api.PromptPrefixHasher}
 * turns the prompt into the hashes prefix affinity routes on, and {@link io.infergate.gateway.api.BodyRewriter}
 * puts another model name in a body sent to an alias's model or a fallback, and the {@code priority} a
 * pool's servers schedule by ({@link io.infergate.gateway.api.PriorityField}). Errors go out as
 * {@link io.infergate.gateway.api.ApiError}s, in OpenAI's shape.
 */
package io.infergate.gateway.api;
