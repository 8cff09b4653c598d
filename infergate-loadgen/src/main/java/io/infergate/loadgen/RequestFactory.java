package io.infergate.loadgen;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.infergate.loadgen.client.OutgoingRequest;
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
 * and builds the OpenAI-style body and headers. Used by the sending thread only.
 */
final class RequestFactory {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every prompt word is three letters and a space: one token by either common estimate (words, bytes / 4). */
    private static final int WORD = 4;

    private final List<RequestClass> classes;
    private final double[] cumulativeShares;
    private final SplittableRandom random;
    private final String words;

    RequestFactory(List<RequestClass> classes, long seed) {
        this.classes = List.copyOf(classes);
        this.random = new SplittableRandom(seed);
        this.cumulativeShares = new double[classes.size()];
        double sum = 0;
        int longestPrompt = 1;
        for (int i = 0; i < classes.size(); i++) {
            sum += classes.get(i).share();
            cumulativeShares[i] = sum;
            longestPrompt = Math.max(longestPrompt, classes.get(i).promptTokens().max());
        }
        this.words = wordPool(Math.max(1024, 2 * longestPrompt), new SplittableRandom(seed + 1));
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
        if (c.endpoint() == EndpointKind.CHAT) {
            body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        } else {
            body.put("prompt", prompt);
        }
        body.put("max_tokens", c.outputTokens().sample(random));
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
        int start = random.nextInt(poolWords - tokens + 1);
        return words.substring(start * WORD, (start + tokens) * WORD - 1);
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
