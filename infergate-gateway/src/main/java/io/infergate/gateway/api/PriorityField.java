package io.infergate.gateway.api;

import io.infergate.core.flow.FlowPolicy;
import io.vertx.core.buffer.Buffer;

import java.util.Map;
import java.util.Objects;

/**
 * The {@code priority} field of the body sent to an endpoint: for a pool whose servers schedule by it
 * ({@code pools[].server_priority}), the rank of the request's priority class, whatever the client put
 * there; for any other pool, none, the client's own removed. So a client never chooses its place in a
 * server's queue: only its class does, which the gateway assigns.
 *
 * <pre>{@code
 * PriorityField field = new PriorityField(Map.of("chat", ServerPriority.LOWER_FIRST), FlowPolicy.defaults());
 * Buffer sent = field.bodyFor("chat", body, inference.carriesPriority(), "critical");  // ..."priority":0}
 * }</pre>
 */
public final class PriorityField {

    /** The field's name, in vLLM's and SGLang's OpenAI-compatible requests. */
    public static final String NAME = "priority";

    /** No pool schedules by priority: the field is only ever removed. */
    public static final PriorityField NONE = new PriorityField(Map.of(), FlowPolicy.defaults());

    private final Map<String, ServerPriority> byPool;
    private final FlowPolicy classes;

    /**
     * @param byPool  each pool's servers' priority scheduling; a pool not named has none
     * @param classes the priority classes, highest first, whose rank is sent
     */
    public PriorityField(Map<String, ServerPriority> byPool, FlowPolicy classes) {
        this.byPool = Map.copyOf(byPool);
        this.classes = Objects.requireNonNull(classes, "classes");
    }

    /**
     * {@code body} as it goes to an endpoint of {@code pool}, for a request of {@code priorityClass};
     * {@code body} itself when nothing changes.
     *
     * @param carriesPriority whether the client's body has a top-level {@code priority} field
     */
    public Buffer bodyFor(String pool, Buffer body, boolean carriesPriority, String priorityClass) {
        ServerPriority order = byPool.getOrDefault(pool, ServerPriority.NONE);
        if (order == ServerPriority.NONE) {
            return carriesPriority ? Buffer.buffer(BodyRewriter.without(body.getBytes(), NAME)) : body;
        }
        int rank = classes.rank(priorityClass);
        // a class the policy does not know ranks below all it knows
        long value = order.valueFor(rank >= 0 ? rank : classes.classes().size());
        return Buffer.buffer(BodyRewriter.withPriority(body.getBytes(), value));
    }
}
