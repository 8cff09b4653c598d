package io.infergate.gateway.admin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.gateway.api.ApiError;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Ends an admin request with a JSON body, or with a 500 when the body does not serialise.
 *
 * <pre>{@code
 * JsonAnswer.send(request, json, 200, Map.of("status", "ok"));
 * }</pre>
 */
public final class JsonAnswer {

    private JsonAnswer() {
    }

    public static void send(HttpServerRequest request, ObjectMapper json, int status, Object body) {
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            new ApiError(500, "server_error", "serialisation_failed", e.getMessage(), 0).sendTo(request.response());
            return;
        }
        request.response().setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(text);
    }
}
