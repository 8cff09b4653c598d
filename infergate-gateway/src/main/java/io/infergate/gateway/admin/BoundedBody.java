package io.infergate.gateway.admin;

import io.infergate.gateway.api.ApiError;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;

import java.util.function.Consumer;

/**
 * Reads an admin request's body, up to a limit. A declared length over the limit is answered 413
 * before anything is read; a chunked body is answered 413 the moment it passes the limit, and the rest
 * is not buffered; a body that fails to read is answered 400. Each of these closes the connection,
 * whose unread bytes could not be told from a next request.
 *
 * <pre>{@code
 * BoundedBody.read(request, 64 * 1024, body -> create(request, body.toString()));
 * }</pre>
 */
final class BoundedBody {

    /** The admin API's limit: its bodies are small JSON documents. */
    static final int MAX_BYTES = 64 * 1024;

    private BoundedBody() {
    }

    /** Hands the whole body of {@code request} to {@code onBody}, unless it is over {@code maxBytes} or fails to read. */
    static void read(HttpServerRequest request, int maxBytes, Consumer<Buffer> onBody) {
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (declared != null && declaredLength(declared) > maxBytes) {
            refuse(request, ApiError.bodyTooLarge(maxBytes));
            return;
        }
        Buffer body = Buffer.buffer();
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > maxBytes) {
                refused[0] = true;
                refuse(request, ApiError.bodyTooLarge(maxBytes));
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(cause -> {
            if (!refused[0]) {
                refused[0] = true;
                refuse(request, ApiError.badRequest("could not read the request body: " + cause));
            }
        });
        request.endHandler(v -> {
            if (!refused[0]) {
                onBody.accept(body);
            }
        });
    }

    private static void refuse(HttpServerRequest request, ApiError error) {
        HttpServerResponse response = request.response();
        if (!response.ended() && !response.closed()) {
            response.putHeader(HttpHeaders.CONNECTION, "close");
            error.sendTo(response);
        }
        request.connection().close();
    }

    private static long declaredLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
