package io.infergate.gateway.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Sets or removes one top-level field of a request body: another model name, for a request sent to an
 * alias's model or to a fallback (the backend must be asked for a model it serves), or the
 * {@code priority} a pool's servers schedule by ({@link PriorityField}). Every other field is copied
 * token by token in its order, without building a tree; only bodies that need a change pay for this.
 * A field the client sent twice is written once.
 *
 * <pre>{@code
 * byte[] sent = BodyRewriter.withModel(received, "llama-3.1-8b-instruct");
 * byte[] ranked = BodyRewriter.withPriority(sent, 0);
 * }</pre>
 */
public final class BodyRewriter {

    private static final JsonFactory JSON = new JsonFactory();

    /** Writes a field's new value. */
    @FunctionalInterface
    private interface Value {
        void writeTo(JsonGenerator generator) throws IOException;
    }

    private BodyRewriter() {
    }

    /** {@code body}, a JSON object {@link InferenceBodyReader} accepted, with its top-level {@code model} set to {@code model}. */
    public static byte[] withModel(byte[] body, String model) {
        return rewrite(body, "model", generator -> generator.writeString(model), model.length());
    }

    /** {@code body} with its top-level {@code priority} set to {@code priority}, added at the end when absent. */
    public static byte[] withPriority(byte[] body, long priority) {
        return rewrite(body, PriorityField.NAME, generator -> generator.writeNumber(priority), 32);
    }

    /** {@code body} without its top-level {@code field}. */
    public static byte[] without(byte[] body, String field) {
        return rewrite(body, field, null, 0);
    }

    /**
     * Copies {@code body} with the first top-level {@code field} given {@code value} in place (or added at
     * the end), later ones dropped; with a null {@code value}, every top-level {@code field} dropped.
     */
    private static byte[] rewrite(byte[] body, String field, Value value, int extraBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + extraBytes);
        try (JsonParser parser = JSON.createParser(body); JsonGenerator generator = JSON.createGenerator(out)) {
            parser.nextToken();
            generator.writeStartObject();
            boolean written = value == null;
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                parser.nextToken();
                if (!name.equals(field)) {
                    generator.writeFieldName(name);
                    generator.copyCurrentStructure(parser);
                    continue;
                }
                parser.skipChildren();
                if (!written) {
                    generator.writeFieldName(field);
                    value.writeTo(generator);
                    written = true;
                }
            }
            if (!written) {
                generator.writeFieldName(field);
                value.writeTo(generator);
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("rewriting the " + field + " of a body the reader accepted", e);
        }
        return out.toByteArray();
    }
}
