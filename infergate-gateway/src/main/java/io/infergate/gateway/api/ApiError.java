package io.infergate.gateway.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.infergate.core.flow.Rejection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;

import java.io.IOException;

import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * An error answered to a client, in the shape OpenAI clients parse:
 * {@code {"error": {"message": ..., "type": ..., "code": ...}}}.
 *
 * <pre>{@code
 * ApiError error = ApiError.modelNotFound("gpt-9");
 * response.setStatusCode(error.status()).end(error.toJson());
 * }</pre>
 *
 * @param status            HTTP status
 * @param type              OpenAI error type, e.g. {@code invalid_request_error}
 * @param code              machine-readable code, e.g. {@code model_not_found}
 * @param message           what went wrong, for a person
 * @param retryAfterSeconds value of {@code Retry-After}, or 0 for none
 */
public record ApiError(int status, String type, String code, String message, int retryAfterSeconds) {

    private static final JsonFactory JSON = new JsonFactory();

    public ApiError {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }

    public static ApiError badRequest(String message) {
        return new ApiError(400, "invalid_request_error", "invalid_request", message, 0);
    }

    public static ApiError modelNotFound(String model) {
        return new ApiError(404, "invalid_request_error", "model_not_found",
                "The model '" + model + "' does not exist or is not served by this gateway", 0);
    }

    public static ApiError notFound(String method, String path) {
        return new ApiError(404, "invalid_request_error", "unknown_url",
                "Unknown request URL: " + method + " " + path, 0);
    }

    public static ApiError methodNotAllowed(String method, String path) {
        return new ApiError(405, "invalid_request_error", "method_not_allowed",
                "Method " + method + " is not allowed on " + path, 0);
    }

    public static ApiError bodyTooLarge(long limitBytes) {
        return new ApiError(413, "invalid_request_error", "request_too_large",
                "Request body exceeds the limit of " + limitBytes + " bytes", 0);
    }

    public static ApiError unknownPriorityClass(String header, String found, List<String> classes) {
        return new ApiError(400, "invalid_request_error", "unknown_priority_class", "Unknown priority class '" + found
                + "' in header " + header + " (expected one of: " + String.join(", ", classes) + ")", 0);
    }

    /** Flow control turned the request away: 429 when its tenant is over its share, else 503; both with Retry-After. */
    public static ApiError flowRejected(Rejection rejection) {
        String type = rejection.status() == 429 ? "rate_limit_error" : "service_unavailable";
        return new ApiError(rejection.status(), type, rejection.reason().label(),
                "Request of priority class '" + rejection.priorityClass() + "' not served: " + rejection.message(),
                rejection.retryAfterSeconds());
    }

    /** No {@code Authorization: Bearer} header, while API keys are required. */
    public static ApiError missingApiKey() {
        return new ApiError(401, "invalid_request_error", "missing_api_key", "You didn't provide an API key. Send it "
                + "in the Authorization header as 'Authorization: Bearer ig-...'", 0);
    }

    /** A bearer token that is no valid key; never echoes the token. */
    public static ApiError invalidApiKey() {
        return new ApiError(401, "invalid_request_error", "invalid_api_key",
                "Incorrect API key provided: it is unknown, revoked or malformed", 0);
    }

    public static ApiError modelNotAllowed(String model, String keyId, List<String> allowed) {
        return new ApiError(403, "permission_error", "model_not_allowed", "API key '" + keyId
                + "' may not call model '" + model + "' (allowed: " + String.join(", ", allowed) + ")", 0);
    }

    /** A request, token or concurrency limit of a key or tenant is reached. */
    public static ApiError rateLimited(String message, int retryAfterSeconds) {
        return new ApiError(429, "rate_limit_error", "rate_limit_exceeded", message, retryAfterSeconds);
    }

    /** Limits are counted in Redis, Redis is unreachable and the configured fallback is to refuse. */
    public static ApiError limitBackendUnavailable() {
        return new ApiError(503, "service_unavailable", "rate_limit_backend_unavailable",
                "Rate limits cannot be checked: the shared limit store is unreachable", 1);
    }

    public static ApiError keyStoreUnavailable() {
        return new ApiError(503, "service_unavailable", "key_store_unavailable",
                "The API key cannot be checked: the shared key store is unreachable", 1);
    }

    public static ApiError noHealthyEndpoint(String reason) {
        return new ApiError(503, "service_unavailable", "no_healthy_endpoint", reason, 1);
    }

    /**
     * The gateway is shutting down: the request was still queued when it stopped accepting, or still
     * running when its drain timeout passed. Another replica (or this one, restarted) will take a retry.
     */
    public static ApiError shuttingDown(String message) {
        return new ApiError(503, "service_unavailable", "gateway_shutting_down", message, 1);
    }

    public static ApiError upstreamFailed(String message) {
        return new ApiError(502, "upstream_error", "upstream_failed", message, 1);
    }

    public static ApiError upstreamTimeout(String message) {
        return new ApiError(504, "upstream_error", "upstream_timeout", message, 1);
    }

    /** The JSON body. */
    public String toJson() {
        StringWriter out = new StringWriter(96 + message.length());
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeObjectFieldStart("error");
            json.writeStringField("message", message);
            json.writeStringField("type", type);
            json.writeStringField("code", code);
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Answers with this error: status, {@code Retry-After} when set, and the JSON body. Headers the
     * caller put on {@code response} before (request id, endpoint) go out with it.
     */
    public void sendTo(HttpServerResponse response) {
        response.setStatusCode(status).putHeader(HttpHeaders.CONTENT_TYPE, "application/json");
        if (retryAfterSeconds > 0) {
            response.putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(retryAfterSeconds));
        }
        response.end(toJson());
    }

    /** The same error as one server-sent event, for a stream that already began. */
    public String toSseEvent() {
        return "data: " + toJson() + "\n\n";
    }
}
