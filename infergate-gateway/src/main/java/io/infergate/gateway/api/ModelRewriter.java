package io.infergate.gateway.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Puts another model name in a request body, for a request sent to an alias's model or to a
 * fallback: the backend must be asked for a model it serves. Every other field is copied token by
 * token in its order; only bodies routed to a name other than the one they carry pay for this.
 *
 * <pre>{@code
 * byte[] sent = ModelRewriter.withModel(received, "llama-3.1-8b-instruct");
 * }</pre>
 */
public final class ModelRewriter {

    private static final JsonFactory JSON = new JsonFactory();

    private ModelRewriter() {
    }

    /** {@code body}, a JSON object {@link InferenceBodyReader} accepted, with its top-level {@code model} set to {@code model}. */
    public static byte[] withModel(byte[] body, String model) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + model.length());
        try (JsonParser parser = JSON.createParser(body); JsonGenerator generator = JSON.createGenerator(out)) {
            parser.nextToken();
            generator.writeStartObject();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                generator.writeFieldName(field);
                if (field.equals("model")) {
                    generator.writeString(model);
                    parser.skipChildren();
                } else {
                    generator.copyCurrentStructure(parser);
                }
            }
            generator.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("rewriting the model of a body the reader accepted", e);
        }
        return out.toByteArray();
    }
}
