package io.infergate.gateway.hardening;

import io.infergate.gateway.api.ApiError;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

import java.util.List;

/**
 * Refuses HTTP/1 requests whose body boundaries two servers could read differently (request smuggling).
 * Netty's decoder already answers 400 and closes the connection for {@code Content-Length} together with
 * {@code Transfer-Encoding}, for repeated or comma-listed {@code Content-Length}, for a space before a
 * header's colon and for a bare CR or LF in a header. What it lets through is a {@code Transfer-Encoding}
 * other than a single {@code chunked}: it reads such a request as having no body, so the body would be
 * parsed as the next request. That is answered 400 here and the connection closed (RFC 9112 §6.3).
 *
 * <pre>{@code
 * server.requestHandler(new RequestFraming(router));
 * }</pre>
 */
public final class RequestFraming implements Handler<HttpServerRequest> {

    private final Handler<HttpServerRequest> next;

    public RequestFraming(Handler<HttpServerRequest> next) {
        this.next = next;
    }

    @Override
    public void handle(HttpServerRequest request) {
        List<String> codings = request.headers().getAll(HttpHeaders.TRANSFER_ENCODING);
        if (request.version() == HttpVersion.HTTP_2 || codings.isEmpty()
                || codings.stream().allMatch(coding -> coding.trim().equalsIgnoreCase("chunked"))) {
            next.handle(request);
            return;
        }
        request.response().putHeader(HttpHeaders.CONNECTION, "close");
        ApiError.badRequest("Transfer-Encoding: " + String.join(", ", codings)
                + " (expected: chunked, or Content-Length and no Transfer-Encoding)").sendTo(request.response());
        request.connection().close();
    }
}
