package io.infergate.gateway.proxy;

import io.infergate.gateway.api.ApiError;
import io.infergate.gateway.api.InferenceBody;
import io.infergate.gateway.flow.Caller;
import io.infergate.gateway.flow.RequestClassifier;
import io.vertx.core.Future;
import io.vertx.core.http.HttpServerRequest;

import java.util.Map;
import java.util.Objects;

/**
 * The check a request passes once its body is read and before flow control sees it: who is calling
 * (API key, tenant) and whether it may (model allowed, rate limits). A passed request carries an
 * {@link ExchangeListener} that hears its response, to settle what the check reserved.
 *
 * <pre>{@code
 * guard.check(request, body).onSuccess(decision -> {
 *     switch (decision) {
 *         case AdmissionGuard.Pass pass -> proceed(pass.caller(), pass.listener());
 *         case AdmissionGuard.Refuse refuse -> answer(refuse.error(), refuse.headers());
 *     }
 * });
 * }</pre>
 *
 * <p>{@link #OPEN} lets everything through, naming the tenant from {@code x-infergate-tenant}.
 */
@FunctionalInterface
public interface AdmissionGuard {

    /** No keys, no limits. */
    AdmissionGuard OPEN = (request, body) -> Future.succeededFuture(
            new Pass(Caller.anonymous(RequestClassifier.namedTenant(request.headers())), ExchangeListener.NONE, false));

    /**
     * Decides on {@code request}; the future may complete on any thread, and never fails.
     * Called on the request's event loop.
     */
    Future<Decision> check(HttpServerRequest request, InferenceBody body);

    /** What the guard decided. */
    sealed interface Decision permits Pass, Refuse {
    }

    /**
     * The request goes on.
     *
     * @param caller        the tenant and priority bounds flow control applies
     * @param listener      hears the response
     * @param authenticated true when the {@code Authorization} header was the gateway's own API key: it is
     *                      not forwarded to the endpoint
     */
    record Pass(Caller caller, ExchangeListener listener, boolean authenticated) implements Decision {
        public Pass {
            Objects.requireNonNull(caller, "caller");
            Objects.requireNonNull(listener, "listener");
        }
    }

    /** The request is answered with {@code error}, plus {@code headers} (rate-limit state). */
    record Refuse(ApiError error, Map<String, String> headers) implements Decision {
        public Refuse {
            Objects.requireNonNull(error, "error");
            headers = Map.copyOf(headers);
        }
    }
}
