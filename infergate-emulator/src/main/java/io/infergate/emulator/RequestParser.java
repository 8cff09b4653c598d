package io.infergate.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.infergate.core.engine.EngineProfile;
import io.infergate.core.engine.SchedulingPolicy;
import io.vertx.core.buffer.Buffer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.infergate.emulator.JsonFields.abbreviate;
import static io.infergate.emulator.JsonFields.bool;
import static io.infergate.emulator.JsonFields.positiveInt;

/**
 * Reads OpenAI request bodies into {@link GenerationRequest}s and {@link EmbeddingRequest}s, rejecting
 * what vLLM would reject with an {@link ApiException}.
 *
 * <p>Prompt tokens are estimated without a tokenizer: a text counts one token per started four bytes
 * of UTF-8; a chat adds four tokens per message (role header and end of turn, as Llama 3's template
 * does) and three for the assistant header; token-id prompts count their ids.
 *
 * <p>The {@code priority} field is vLLM's: an integer, lower admitted earlier, 0 when absent; a server
 * not scheduling by priority refuses any other value, as vLLM does.
 */
final class RequestParser {

    static final int DEFAULT_EMBEDDING_DIMENSIONS = 1024;

    private static final int CHAT_TOKENS_PER_MESSAGE = 4;
    private static final int CHAT_TOKENS_FOR_REPLY = 3;

    private final List<String> models;
    private final EngineProfile profile;
    private final SchedulingPolicy policy;

    RequestParser(List<String> models, EngineProfile profile, SchedulingPolicy policy) {
        this.models = models;
        this.profile = profile;
        this.policy = policy;
    }

    GenerationRequest generation(GenerationApi api, Buffer body) {
        JsonNode root = JsonFields.object(body);
        String model = model(root);
        JsonNode n = root.path("n");
        if (!n.isMissingNode() && !n.isNull() && !(n.canConvertToExactIntegral() && n.asInt() == 1)) {
            throw ApiException.badRequest("n: " + n + " (expected: 1, the emulator returns one choice)");
        }
        StringBuilder prompt = new StringBuilder();
        int promptTokens = api == GenerationApi.CHAT ? chatPrompt(root, prompt) : completionPrompt(root, prompt);
        Integer bound = api == GenerationApi.CHAT
                ? positiveInt(root, "max_completion_tokens", positiveInt(root, "max_tokens", null))
                : positiveInt(root, "max_tokens", null);
        int maxModelLen = profile.maxModelLen();
        if (promptTokens >= maxModelLen) {
            throw ApiException.badRequest("This model's maximum context length is " + maxModelLen
                    + " tokens. However, your request has " + promptTokens
                    + " input tokens. Please reduce the length of the input messages.");
        }
        int outputTokens;
        String finishReason;
        if (bound != null) {
            if (promptTokens + (long) bound > maxModelLen) {
                throw ApiException.badRequest("This model's maximum context length is " + maxModelLen
                        + " tokens. However, you requested " + (promptTokens + (long) bound) + " tokens ("
                        + promptTokens + " in the messages, " + bound
                        + " in the completion). Please reduce the length of the messages or completion.");
            }
            outputTokens = bound;
            finishReason = "length";
        } else {
            outputTokens = Math.min(profile.defaultOutputTokens(), maxModelLen - promptTokens);
            finishReason = outputTokens < profile.defaultOutputTokens() ? "length" : "stop";
        }
        boolean stream = bool(root, "stream", false);
        boolean includeUsage = stream && bool(root.path("stream_options"), "include_usage", false);
        return new GenerationRequest(api, model, prompt.toString(), promptTokens, outputTokens, finishReason,
                stream, includeUsage, priority(root));
    }

    EmbeddingRequest embedding(Buffer body) {
        JsonNode root = JsonFields.object(body);
        String model = model(root);
        JsonNode input = root.path("input");
        List<String> inputs = new ArrayList<>();
        int tokens = 0;
        if (input.isTextual() || isTokenIds(input)) {
            tokens += embeddingInput(input, inputs);
        } else if (input.isArray() && !input.isEmpty()) {
            for (JsonNode item : input) {
                if (!item.isTextual() && !isTokenIds(item)) {
                    throw invalidInput(input);
                }
                tokens += embeddingInput(item, inputs);
            }
        } else {
            throw invalidInput(input);
        }
        Integer dimensions = positiveInt(root, "dimensions", DEFAULT_EMBEDDING_DIMENSIONS);
        String format = root.path("encoding_format").asText("float");
        if (!format.equals("float") && !format.equals("base64")) {
            throw ApiException.badRequest("encoding_format: " + format + " (expected: float or base64)");
        }
        return new EmbeddingRequest(model, inputs, tokens, dimensions, format.equals("base64"), priority(root));
    }

    private long priority(JsonNode root) {
        long priority = JsonFields.field(root, "priority", 0L, v -> v.canConvertToExactIntegral() && v.canConvertToLong(),
                JsonNode::asLong, "an integer");
        if (priority != 0 && policy != SchedulingPolicy.PRIORITY) {
            throw ApiException.badRequest("Got priority " + priority + " but Priority scheduling is not enabled.");
        }
        return priority;
    }

    private int embeddingInput(JsonNode input, List<String> inputs) {
        int tokens;
        if (input.isTextual()) {
            inputs.add(input.asText());
            tokens = Math.max(1, textTokens(input.asText()));
        } else {
            inputs.add(tokenIdsText(input));
            tokens = input.size();
        }
        if (tokens > profile.maxModelLen()) {
            throw ApiException.badRequest("This model's maximum context length is " + profile.maxModelLen()
                    + " tokens. However, input " + (inputs.size() - 1) + " has " + tokens
                    + " tokens. Please reduce the length of the input.");
        }
        return tokens;
    }

    private static ApiException invalidInput(JsonNode input) {
        return ApiException.badRequest("input: " + abbreviate(input)
                + " (expected: a string, an array of strings, an array of token ids or an array of such arrays)");
    }

    private int chatPrompt(JsonNode root, StringBuilder prompt) {
        JsonNode messages = root.path("messages");
        if (!messages.isArray() || messages.isEmpty()) {
            throw ApiException.badRequest("messages: " + abbreviate(messages) + " (expected: a non-empty array of messages)");
        }
        int tokens = CHAT_TOKENS_FOR_REPLY;
        for (int i = 0; i < messages.size(); i++) {
            JsonNode message = messages.get(i);
            JsonNode role = message.path("role");
            if (!role.isTextual()) {
                throw ApiException.badRequest("messages[" + i + "].role: " + abbreviate(role) + " (expected: a string)");
            }
            String content = content(message.path("content"), i);
            prompt.append(role.asText()).append(": ").append(content).append('\n');
            tokens += CHAT_TOKENS_PER_MESSAGE + textTokens(content);
        }
        return tokens;
    }

    private static String content(JsonNode content, int index) {
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isMissingNode() || content.isNull()) {
            return "";
        }
        if (content.isArray()) {
            StringBuilder text = new StringBuilder();
            for (JsonNode part : content) {
                if (part.path("type").asText().equals("text")) {
                    text.append(part.path("text").asText());
                }
            }
            return text.toString();
        }
        throw ApiException.badRequest("messages[" + index + "].content: " + abbreviate(content)
                + " (expected: a string or an array of content parts)");
    }

    private static int completionPrompt(JsonNode root, StringBuilder prompt) {
        JsonNode value = root.path("prompt");
        if (value.isArray() && value.size() == 1 && (value.get(0).isTextual() || value.get(0).isArray())) {
            value = value.get(0);
        }
        if (value.isTextual()) {
            prompt.append(value.asText());
            return Math.max(1, textTokens(value.asText()));
        }
        if (isTokenIds(value)) {
            prompt.append(tokenIdsText(value));
            return value.size();
        }
        throw ApiException.badRequest("prompt: " + abbreviate(value)
                + " (expected: a string or an array of token ids; the emulator takes one prompt per request)");
    }

    private String model(JsonNode root) {
        JsonNode model = root.path("model");
        if (model.isMissingNode() || model.isNull()) {
            return models.getFirst();
        }
        if (!model.isTextual()) {
            throw ApiException.badRequest("model: " + abbreviate(model) + " (expected: a string)");
        }
        if (!models.contains(model.asText())) {
            throw ApiException.notFound("The model `" + model.asText() + "` does not exist.");
        }
        return model.asText();
    }

    private static boolean isTokenIds(JsonNode node) {
        if (!node.isArray() || node.isEmpty()) {
            return false;
        }
        for (JsonNode id : node) {
            if (!id.canConvertToExactIntegral()) {
                return false;
            }
        }
        return true;
    }

    private static String tokenIdsText(JsonNode ids) {
        StringBuilder text = new StringBuilder();
        for (JsonNode id : ids) {
            text.append(id.asLong()).append(' ');
        }
        return text.toString();
    }

    /** One token per started four bytes of UTF-8. */
    static int textTokens(String text) {
        return (text.getBytes(StandardCharsets.UTF_8).length + 3) / 4;
    }
}
