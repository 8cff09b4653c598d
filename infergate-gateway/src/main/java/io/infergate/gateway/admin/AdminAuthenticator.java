package io.infergate.gateway.admin;

import io.infergate.gateway.api.ApiError;
import io.infergate.gateway.api.DataPlaneRouter;
import io.infergate.gateway.config.AdminConfig;
import io.infergate.gateway.config.Secret;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

import java.util.Optional;

/**
 * Lets an admin request through to {@code next} only with the configured admin token
 * ({@code Authorization: Bearer TOKEN}); anything else is a 401 in OpenAI's error shape, with
 * {@code WWW-Authenticate: Bearer}. Without a configured token every request goes through.
 * {@code /health} and {@code /metrics} go through without it when configured open. The presented
 * value is never logged nor echoed.
 *
 * <pre>{@code
 * server.requestHandler(new AdminAuthenticator(config.admin(), new AdminRouter(...)));
 * }</pre>
 */
public final class AdminAuthenticator implements Handler<HttpServerRequest> {

    private static final String BEARER = "bearer ";

    private final Optional<Secret> token;
    private final boolean healthOpen;
    private final boolean metricsOpen;
    private final Handler<HttpServerRequest> next;

    public AdminAuthenticator(AdminConfig config, Handler<HttpServerRequest> next) {
        this.token = config.token();
        this.healthOpen = config.healthOpen();
        this.metricsOpen = config.metricsOpen();
        this.next = next;
    }

    @Override
    public void handle(HttpServerRequest request) {
        if (token.isEmpty() || open(request.path()) || token.get().matches(bearer(request))) {
            next.handle(request);
            return;
        }
        String problem = request.getHeader(HttpHeaders.AUTHORIZATION) == null
                ? "missing admin token: send 'Authorization: Bearer <admin.token>'"
                : "invalid admin token";
        request.response().putHeader("www-authenticate", "Bearer realm=\"infergate-admin\"");
        new ApiError(401, "authentication_error", "invalid_admin_token", problem, 0).sendTo(request.response());
    }

    private boolean open(String path) {
        return healthOpen && path.equals(DataPlaneRouter.HEALTH) || metricsOpen && path.equals("/metrics");
    }

    /** The token of an {@code Authorization: Bearer} header, or null. */
    private static String bearer(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || header.length() <= BEARER.length()
                || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return null;
        }
        return header.substring(BEARER.length()).trim();
    }
}
