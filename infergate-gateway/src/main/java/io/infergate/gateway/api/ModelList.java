package io.infergate.gateway.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.TreeSet;

/** The body of {@code GET /v1/models}, in OpenAI's list shape. */
public final class ModelList {

    private static final JsonFactory JSON = new JsonFactory();

    private ModelList() {
    }

    public static String toJson(Collection<String> models, long createdEpochSeconds) {
        StringWriter out = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeStringField("object", "list");
            json.writeArrayFieldStart("data");
            for (String model : new TreeSet<>(models)) {
                json.writeStartObject();
                json.writeStringField("id", model);
                json.writeStringField("object", "model");
                json.writeNumberField("created", createdEpochSeconds);
                json.writeStringField("owned_by", "infergate");
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
