package io.infergate.gateway.api;

/**
 * Whether a pool's servers schedule their waiting requests by the {@code priority} field of the request
 * body, and in which direction. The gateway writes the request's priority class there: its rank among
 * the classes, 0 for the highest, turned into the servers' direction.
 *
 * <pre>{@code
 * ServerPriority.LOWER_FIRST.valueFor(0);   // 0: critical, scheduled first by vLLM
 * ServerPriority.HIGHER_FIRST.valueFor(2);  // -2: sheddable, scheduled last by SGLang
 * }</pre>
 */
public enum ServerPriority {

    /** No priority scheduling: no field is sent, and one the client sent is removed. */
    NONE,

    /**
     * Lower values first: vLLM's {@code --scheduling-policy priority}, and SGLang's
     * {@code --enable-priority-scheduling} with {@code --schedule-low-priority-values-first}. Sends the rank.
     */
    LOWER_FIRST,

    /** Higher values first: SGLang's {@code --enable-priority-scheduling}. Sends the rank negated. */
    HIGHER_FIRST;

    /** The field's value for a class of {@code rank} (0 = highest): the highest class is 0 either way. */
    public long valueFor(int rank) {
        return switch (this) {
            case NONE -> throw new IllegalStateException(
                    "no priority field is sent to a pool without priority scheduling");
            case LOWER_FIRST -> rank;
            case HIGHER_FIRST -> -rank;
        };
    }
}
