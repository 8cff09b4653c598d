package io.infergate.gateway.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;

import java.io.IOException;

/**
 * Reads the routing fields of an OpenAI-style request body with Jackson's streaming parser: no object
 * tree is built and nothing is re-serialised. The whole body is still tokenised, so malformed JSON is
 * rejected here with the parser's own description of where it broke.
 *
 * <pre>{@code
 * InferenceBody body = InferenceBodyReader.read(bytes);   // throws BadRequestException
 * }</pre>
 */
public final class InferenceBodyReader {

    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
            .build();

    private InferenceBodyReader() {
    }

    public static InferenceBody read(byte[] body) throws BadRequestException {
        try (JsonParser parser = JSON.createParser(body)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new BadRequestException("request body must be a JSON object");
            }
            String model = null;
            boolean stream = false;
            boolean includeUsage = false;
            int maxTokens = -1;
            int promptBytes = 0;
            int promptStart = 0;
            int promptEnd = 0;
            boolean carriesPriority = false;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                JsonToken value = parser.nextToken();
                switch (field) {
                    case "model" -> model = requireString(parser, value, field);
                    case "stream" -> stream = requireBoolean(value, field);
                    case "max_tokens", "max_completion_tokens" -> maxTokens = requireInt(parser, value, field);
                    case "stream_options" -> includeUsage = readIncludeUsage(parser, value);
                    case "messages", "prompt", "input" -> {
                        requirePromptShape(value, field);
                        int start = (int) parser.currentTokenLocation().getByteOffset();
                        parser.skipChildren();
                        // A string is read lazily: read it, or the location is not yet past its end.
                        parser.finishToken();
                        int end = (int) parser.currentLocation().getByteOffset();
                        promptBytes += Math.max(0, end - start);
                        if (promptEnd == promptStart) {
                            promptStart = start;
                            promptEnd = Math.max(start, end);
                        }
                    }
                    case PriorityField.NAME -> {
                        carriesPriority = true;
                        parser.skipChildren();
                    }
                    default -> parser.skipChildren();
                }
            }
            if (parser.nextToken() != null) {
                throw new BadRequestException("unexpected content after the JSON object");
            }
            if (model == null || model.isBlank()) {
                throw new BadRequestException("missing required field 'model'");
            }
            return new InferenceBody(model, stream, includeUsage, maxTokens, promptBytes, promptStart, promptEnd,
                    carriesPriority);
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            throw new BadRequestException("malformed JSON: " + e.getOriginalMessage() + (where == null ? ""
                    : " at line " + where.getLineNr() + ", column " + where.getColumnNr()));
        } catch (IOException e) {
            throw new BadRequestException("unreadable request body: " + e.getMessage());
        }
    }

    private static String requireString(JsonParser parser, JsonToken value, String field)
            throws IOException, BadRequestException {
        if (value != JsonToken.VALUE_STRING) {
            throw new BadRequestException("field '" + field + "' must be a string, found " + describe(value));
        }
        return parser.getText();
    }

    private static boolean requireBoolean(JsonToken value, String field) throws BadRequestException {
        return switch (value) {
            case VALUE_TRUE -> true;
            case VALUE_FALSE, VALUE_NULL -> false;
            default -> throw new BadRequestException(
                    "field '" + field + "' must be a boolean, found " + describe(value));
        };
    }

    private static int requireInt(JsonParser parser, JsonToken value, String field)
            throws IOException, BadRequestException {
        if (value == JsonToken.VALUE_NULL) {
            return -1;
        }
        if (value != JsonToken.VALUE_NUMBER_INT || parser.getNumberType() != JsonParser.NumberType.INT
                || parser.getIntValue() < 1) {
            throw new BadRequestException("field '" + field + "' must be a positive integer, found "
                    + (value.isNumeric() ? parser.getText() : describe(value)));
        }
        return parser.getIntValue();
    }

    /** {@code messages} is an array of messages; {@code prompt} and {@code input} a string or an array. */
    private static void requirePromptShape(JsonToken value, String field) throws BadRequestException {
        boolean messages = field.equals("messages");
        if (value == JsonToken.START_ARRAY || !messages && value == JsonToken.VALUE_STRING) {
            return;
        }
        throw new BadRequestException("field '" + field + "' must be " + (messages ? "an array" : "a string or an array")
                + ", found " + describe(value));
    }

    private static boolean readIncludeUsage(JsonParser parser, JsonToken value)
            throws IOException, BadRequestException {
        if (value == JsonToken.VALUE_NULL) {
            return false;
        }
        if (value != JsonToken.START_OBJECT) {
            throw new BadRequestException("field 'stream_options' must be an object, found " + describe(value));
        }
        boolean includeUsage = false;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken inner = parser.nextToken();
            if (field.equals("include_usage")) {
                includeUsage = requireBoolean(inner, "stream_options.include_usage");
            } else {
                parser.skipChildren();
            }
        }
        return includeUsage;
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT -> "an object";
            case START_ARRAY -> "an array";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "a boolean";
            case VALUE_NULL -> "null";
            default -> token.asString();
        };
    }
}
