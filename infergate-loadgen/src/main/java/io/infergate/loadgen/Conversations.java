package io.infergate.loadgen;

import io.infergate.loadgen.scenario.Conversation;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The conversations of one multi-turn request class ({@link Conversation}), taken in turn: each call
 * of {@link #nextTurn} gives the messages of the next conversation's next request, its history
 * included, and remembers the new user message and the answer for that conversation's later turns.
 * Used by the sending thread only.
 *
 * <pre>{@code
 * Conversations chats = new Conversations(new Conversation(2, 100, 8), systemPrompt);
 * List<Conversations.Message> first = chats.nextTurn("hello", "hi");      // conversation 1: system, user
 * chats.nextTurn("hey", "yo");                                            // conversation 2
 * List<Conversations.Message> again = chats.nextTurn("more", "sure");     // conversation 1: system, user, assistant, user
 * }</pre>
 */
final class Conversations {

    /** One chat message as sent: {@code {"role": role, "content": content}}. */
    record Message(String role, String content) {
        Message {
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(content, "content");
        }
    }

    private final Conversation spec;
    private final Message system;
    private final List<List<Message>> histories = new ArrayList<>();
    private final int[] turnsTaken;
    private int next;

    /** @param systemPrompt the system prompt every conversation starts with; empty for none */
    Conversations(Conversation spec, String systemPrompt) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.system = systemPrompt.isEmpty() ? null : new Message("system", systemPrompt);
        this.turnsTaken = new int[spec.conversations()];
        for (int i = 0; i < spec.conversations(); i++) {
            histories.add(new ArrayList<>());
        }
    }

    /**
     * The messages of the next turn, ending with {@code userMessage}; {@code answer} goes into the
     * history as the assistant's reply, for the turns after it.
     */
    List<Message> nextTurn(String userMessage, String answer) {
        int conversation = next;
        next = (next + 1) % spec.conversations();
        List<Message> history = histories.get(conversation);
        if (turnsTaken[conversation] == spec.turns()) {
            history.clear();
            turnsTaken[conversation] = 0;
        }
        List<Message> messages = new ArrayList<>(history.size() + 2);
        if (system != null) {
            messages.add(system);
        }
        messages.addAll(history);
        Message user = new Message("user", userMessage);
        messages.add(user);
        history.add(user);
        history.add(new Message("assistant", answer));
        turnsTaken[conversation]++;
        return messages;
    }
}
