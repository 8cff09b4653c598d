package io.infergate.gateway.api;

import io.infergate.core.model.ModelCatalog;
import io.infergate.gateway.proxy.Drain;
import io.infergate.gateway.proxy.InferenceProxy;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.Set;

/**
 * The data plane's routes: the OpenAI-compatible API. Inference calls go to the {@link InferenceProxy};
 * {@code GET /v1/models} lists the served models and their aliases; {@code /health} answers load
 * balancers' probes (200, or 503 once the gateway drains, see {@link Drain#answerHealth}); anything else is
 * a 404 in OpenAI's error shape.
 */
public final class DataPlaneRouter implements Handler<HttpServerRequest> {

    /** Paths proxied to endpoints. */
    public static final Set<String> INFERENCE_PATHS =
            Set.of("/v1/chat/completions", "/v1/completions", "/v1/embeddings");
    /** The liveness path, also served by the admin listener. */
    public static final String HEALTH = "/health";

    private final InferenceProxy proxy;
    private final ModelCatalog models;
    private final Drain drain;
    private final long startedEpochSeconds = System.currentTimeMillis() / 1000;

    public DataPlaneRouter(InferenceProxy proxy, ModelCatalog models, Drain drain) {
        this.proxy = proxy;
        this.models = models;
        this.drain = drain;
    }

    @Override
    public void handle(HttpServerRequest request) {
        String path = request.path();
        if (INFERENCE_PATHS.contains(path)) {
            if (request.method() == HttpMethod.POST) {
                proxy.handle(request);
            } else {
                reply(request, ApiError.methodNotAllowed(request.method().name(), path));
            }
        } else if (path.equals(HEALTH)) {
            // for load balancers, which reach the data port and not the admin listener (loopback by default)
            drain.answerHealth(request.response());
        } else if (path.equals("/v1/models")) {
            request.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .end(ModelList.toJson(models.names(), startedEpochSeconds));
        } else {
            reply(request, ApiError.notFound(request.method().name(), path));
        }
    }

    private static void reply(HttpServerRequest request, ApiError error) {
        error.sendTo(request.response());
    }
}
