package io.infergate.emulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;

import java.util.function.Function;
import java.util.function.Predicate;

/** Reads request bodies and their optional fields, rejecting what it cannot use with a 400 that names the field. */
final class JsonFields {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonFields() {
    }

    /** The body as a JSON object; a 400 when it is not JSON or not an object. */
    static JsonNode object(Buffer body) {
        JsonNode root;
        try {
            root = JSON.readTree(body.getBytes());
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON in the request body: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiException.badRequest("unreadable request body: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw ApiException.badRequest("request body: " + (root == null ? "empty" : abbreviate(root))
                    + " (expected: a JSON object)");
        }
        return root;
    }

    /**
     * The field's value, or {@code fallback} when it is missing or null.
     *
     * @param valid    whether a present value is acceptable
     * @param expected what an acceptable value is, for the error message, e.g. {@code "a number"}
     */
    static <T> T field(JsonNode root, String name, T fallback, Predicate<JsonNode> valid, Function<JsonNode, T> read,
                       String expected) {
        JsonNode value = root.path(name);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!valid.test(value)) {
            throw ApiException.badRequest(name + ": " + abbreviate(value) + " (expected: " + expected + ")");
        }
        return read.apply(value);
    }

    static boolean bool(JsonNode root, String name, boolean fallback) {
        return field(root, name, fallback, JsonNode::isBoolean, JsonNode::asBoolean, "true or false");
    }

    static double number(JsonNode root, String name, double fallback) {
        return field(root, name, fallback, JsonNode::isNumber, JsonNode::asDouble, "a number");
    }

    static Integer positiveInt(JsonNode root, String name, Integer fallback) {
        return field(root, name, fallback, v -> v.canConvertToExactIntegral() && v.canConvertToInt() && v.asInt() >= 1,
                JsonNode::asInt, "an integer >= 1");
    }

    /** The node as JSON, cut to 60 characters; {@code missing} for an absent field. */
    static String abbreviate(JsonNode node) {
        String text = node.isMissingNode() ? "missing" : node.toString();
        return text.length() <= 60 ? text : text.substring(0, 57) + "...";
    }
}
