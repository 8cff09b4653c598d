package io.infergate.loadgen.scenario;

/**
 * Makes a request class multi-turn chat: its requests are the turns of {@code conversations}
 * conversations held at once, taken in turn. Each request resends its conversation so far: a system
 * prompt shared by every conversation, then each earlier user message and answer, then a new user
 * message of the class's prompt length. The answers in the history are made up by the load generator
 * at the class's output length, so that a conversation's text is the same from one turn to the next
 * whatever the server said. After {@code turns} turns a conversation starts again with a new first
 * message. This is the traffic prefix caching and prefix-aware routing are for.
 *
 * <pre>{@code
 * RequestClass chat = RequestClass.builder("chat", model).prompt(new Distribution.Uniform(50, 150))
 *         .conversation(new Conversation(64, 1000, 8)).build();
 * }</pre>
 *
 * @param conversations      conversations going on at once
 * @param systemPromptTokens length of the system prompt every conversation starts with; 0 for none
 * @param turns              requests in one conversation before it starts again
 */
public record Conversation(int conversations, int systemPromptTokens, int turns) {

    public Conversation {
        if (conversations < 1) {
            throw new IllegalArgumentException("conversations: " + conversations + " (expected: >= 1)");
        }
        if (systemPromptTokens < 0) {
            throw new IllegalArgumentException("systemPromptTokens: " + systemPromptTokens + " (expected: >= 0)");
        }
        if (turns < 1) {
            throw new IllegalArgumentException("turns: " + turns + " (expected: >= 1)");
        }
    }
}
