/**
 * What the core knows of one inference request: {@link io.infergate.core.request.RoutingRequest}, only the
 * fields scheduling and flow control need (model, prompt and output sizes, streaming, priority class,
 * tenant, client region, prompt-prefix hashes), read by the gateway from the body without re-serialising
 * it. The prompt text itself never reaches the core.
 */
package io.infergate.core.request;
