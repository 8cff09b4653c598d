package io.infergate.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.loadgen.client.OutgoingRequest;
import io.infergate.loadgen.scenario.Conversation;
import io.infergate.loadgen.scenario.EndpointKind;
import io.infergate.loadgen.scenario.RequestClass;
import io.vertx.core.buffer.Buffer;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns a scenario's classes into requests: picks a class by share, samples prompt and output lengths,
 * and builds the OpenAI-style body and headers. A multi-turn class ({@link RequestClass#conversation})
 * sends its conversations so far ({@link Conversations}): the sampled prompt length is the new user
 * message's, and the sampled output length that of the answer recorded in the history. Used by the
 * sending thread only.
 */
final class RequestFactory {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every prompt word is three letters and a space: one token by either common estimate (words, bytes / 4). */
    private static final int WORD = 4;

    private final List<RequestClass> classes;
    private final double[] cumulativeShares;
    private final SplittableRandom random;
    private final String words;
    /** Per class: its conversations, or null for a single-turn class. */
    private final Conversations[] conversations;

    RequestFactory(List<RequestClass> classes, long seed) {
        this.classes = List.copyOf(classes);
        this.random = new SplittableRandom(seed);
        this.cumulativeShares = new double[classes.size()];
        double sum = 0;
        int longestText = 1;
        for (int i = 0; i < classes.size(); i++) {
            RequestClass c = classes.get(i);
            sum += c.share();
            cumulativeShares[i] = sum;
            longestText = Math.max(longestText, Math.max(c.promptTokens().max(), c.outputTokens().max()));
            if (c.conversation().isPresent()) {
                longestText = Math.max(longestText, c.conversation().get().systemPromptTokens());
            }
        }
        this.words = wordPool(Math.max(1024, 2 * longestText), new SplittableRandom(seed + 1));
        this.conversations = new Conversations[classes.size()];
        for (int i = 0; i < classes.size(); i++) {
            // every conversation of every class shares one system prompt: the pool's first words
            Conversation spec = classes.get(i).conversation().orElse(null);
            conversations[i] = spec == null ? null : new Conversations(spec, text(0, spec.systemPromptTokens()));
        }
    }

    /** A class index drawn by share. */
    int pickClass() {
        double x = random.nextDouble(cumulativeShares[cumulativeShares.length - 1]);
        for (int i = 0; i < cumulativeShares.length; i++) {
            if (x < cumulativeShares[i]) {
                return i;
            }
        }
        return cumulativeShares.length - 1;
    }

    OutgoingRequest create(int classIndex, URI target) {
        RequestClass c = classes.get(classIndex);
        ObjectNode body = JSON.createObjectNode();
        body.put("model", c.model());
        String prompt = prompt(c.promptTokens().sample(random));
        int maxTokens = c.outputTokens().sample(random);
        if (conversations[classIndex] != null) {
            ArrayNode messages = body.putArray("messages");
            for (Conversations.Message m : conversations[classIndex].nextTurn(prompt, prompt(maxTokens))) {
                messages.addObject().put("role", m.role()).put("content", m.content());
            }
        } else if (c.endpoint() == EndpointKind.CHAT) {
            body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        } else {
            body.put("prompt", prompt);
        }
        body.put("max_tokens", maxTokens);
        body.put("stream", c.stream());
        Map<String, String> headers = new LinkedHashMap<>();
        if (!c.priority().isEmpty()) {
            headers.put(RequestClass.PRIORITY_HEADER, c.priority());
        }
        if (!c.apiKey().isEmpty()) {
            headers.put("authorization", "Bearer " + c.apiKey());
        }
        return new OutgoingRequest(target, c.endpoint().path(), headers, Buffer.buffer(body.toString()), c.stream());
    }

    /** {@code tokens} words taken at a random place of the pool, so prompts do not share a prefix. */
    private String prompt(int tokens) {
        int poolWords = words.length() / WORD;
        return text(random.nextInt(poolWords - tokens + 1), tokens);
    }

    /** {@code tokens} words of the pool from word {@code start}; empty for none. */
    private String text(int start, int tokens) {
        return tokens == 0 ? "" : words.substring(start * WORD, (start + tokens) * WORD - 1);
    }

    private static String wordPool(int count, SplittableRandom random) {
        StringBuilder pool = new StringBuilder(count * WORD);
        for (int i = 0; i < count; i++) {
            for (int j = 0; j < WORD - 1; j++) {
                pool.append((char) ('a' + random.nextInt(26)));
            }
            pool.append(' ');
        }
        return pool.toString();
    }
}
