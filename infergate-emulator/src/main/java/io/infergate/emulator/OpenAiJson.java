package io.infergate.emulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.List;

/** Renders the JSON bodies vLLM's OpenAI server sends: responses, stream chunks, embeddings, models, errors. */
final class OpenAiJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiJson() {
    }

    /**
     * One stream chunk carrying one token. The first chat chunk also carries the assistant role, the
     * last one the finish reason; with {@code usageField} it has {@code "usage":null} as OpenAI sends when
     * usage was asked for.
     */
    static String chunk(GenerationApi api, String id, long created, String model, boolean first, String text,
                        String finishReason, boolean usageField) {
        ObjectNode root = head(api.chunkObject, id, created, model);
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        if (api == GenerationApi.CHAT) {
            ObjectNode delta = choice.putObject("delta");
            if (first) {
                delta.put("role", "assistant");
            }
            delta.put("content", text);
        } else {
            choice.put("text", text);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        if (usageField) {
            root.putNull("usage");
        }
        return root.toString();
    }

    /** The chunk after the last token when usage was asked for: no choices, the whole request's usage. */
    static String usageChunk(GenerationApi api, String id, long created, String model, int promptTokens,
                             int completionTokens) {
        ObjectNode root = head(api.chunkObject, id, created, model);
        root.putArray("choices");
        usage(root, promptTokens, completionTokens);
        return root.toString();
    }

    static String response(GenerationApi api, String id, long created, String model, String text,
                           String finishReason, int promptTokens, int completionTokens) {
        ObjectNode root = head(api.object, id, created, model);
        ObjectNode choice = root.putArray("choices").addObject().put("index", 0);
        if (api == GenerationApi.CHAT) {
            choice.putObject("message").put("role", "assistant").put("content", text);
        } else {
            choice.put("text", text);
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason);
        usage(root, promptTokens, completionTokens);
        return root.toString();
    }

    static String embeddings(String model, List<float[]> vectors, boolean base64, int promptTokens) {
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (int i = 0; i < vectors.size(); i++) {
            ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
            float[] vector = vectors.get(i);
            if (base64) {
                ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                bytes.asFloatBuffer().put(vector);
                item.put("embedding", Base64.getEncoder().encodeToString(bytes.array()));
            } else {
                ArrayNode values = item.putArray("embedding");
                for (float v : vector) {
                    values.add(v);
                }
            }
        }
        root.put("model", model);
        root.putObject("usage").put("prompt_tokens", promptTokens).put("total_tokens", promptTokens);
        return root.toString();
    }

    static String models(List<String> models, long created, int maxModelLen) {
        ObjectNode root = JSON.createObjectNode().put("object", "list");
        ArrayNode data = root.putArray("data");
        for (String model : models) {
            data.addObject().put("id", model).put("object", "model").put("created", created)
                    .put("owned_by", "vllm").put("root", model).putNull("parent").put("max_model_len", maxModelLen);
        }
        return root.toString();
    }

    static String error(int status, String type, String message) {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("error").put("message", message).put("type", type).putNull("param").put("code", status);
        return root.toString();
    }

    private static ObjectNode head(String object, String id, long created, String model) {
        return JSON.createObjectNode().put("id", id).put("object", object).put("created", created).put("model", model);
    }

    private static void usage(ObjectNode root, int promptTokens, int completionTokens) {
        root.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
    }
}
