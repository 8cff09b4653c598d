package io.infergate.gateway.api;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.util.function.Consumer;

/**
 * Reads a request body up to a limit. A declared length over the limit is refused with a 413 before
 * anything is read; a chunked body is refused with a 413 the moment it passes the limit, and the rest
 * is not buffered; a body that fails to read is refused with a 400. A refusal closes an HTTP/1
 * connection, whose unread bytes could not be told from a next request; on HTTP/2 only the stream ends,
 * and the connection's other streams go on (a client resetting one upload must not lose the others).
 *
 * <pre>{@code
 * BoundedBody.read(request, 64 * 1024, body -> create(request, body.toString()),
 *         error -> error.sendTo(request.response()));
 * }</pre>
 */
public final class BoundedBody {

    private BoundedBody() {
    }

    /**
     * Hands the whole body of {@code request} to {@code onBody}, or the reason it is refused to
     * {@code refuse}, which answers it (on HTTP/1 a {@code Connection: close} header is set already) unless
     * the response is over; an HTTP/1 connection is closed after.
     */
    public static void read(HttpServerRequest request, long maxBytes, Consumer<Buffer> onBody, Consumer<ApiError> refuse) {
        String declared = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        long length = declared == null ? -1 : declaredLength(declared);
        if (length > maxBytes) {
            refuse(request, ApiError.bodyTooLarge(maxBytes), refuse);
            return;
        }
        Buffer body = Buffer.buffer(length < 0 ? 1024 : (int) Math.min(length, Integer.MAX_VALUE));
        boolean[] refused = {false};
        request.handler(chunk -> {
            if (refused[0]) {
                return;
            }
            if (body.length() + chunk.length() > maxBytes) {
                refused[0] = true;
                refuse(request, ApiError.bodyTooLarge(maxBytes), refuse);
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.exceptionHandler(cause -> {
            if (!refused[0]) {
                refused[0] = true;
                refuse(request, ApiError.badRequest("could not read the request body: " + cause), refuse);
            }
        });
        request.endHandler(v -> {
            if (!refused[0]) {
                onBody.accept(body);
            }
        });
    }

    private static void refuse(HttpServerRequest request, ApiError error, Consumer<ApiError> refuse) {
        boolean http1 = request.version() != HttpVersion.HTTP_2;
        if (!request.response().ended() && !request.response().closed()) {
            if (http1) {
                request.response().putHeader(HttpHeaders.CONNECTION, "close");
            }
            refuse.accept(error);
        }
        if (http1) {
            request.connection().close();
        }
    }

    private static long declaredLength(String value) {
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
