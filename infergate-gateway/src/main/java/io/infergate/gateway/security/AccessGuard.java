package io.infergate.gateway.security;

import io.infergate.core.limit.LimitCharge;
import io.infergate.core.limit.LimitDecision;
import io.infergate.core.limit.LimitKind;
import io.infergate.gateway.api.AnswerTokens;
import io.infergate.gateway.api.ApiError;
import io.infergate.gateway.api.InferenceBody;
import io.infergate.gateway.config.TenantConfig;
import io.infergate.gateway.flow.Caller;
import io.infergate.gateway.flow.RequestClassifier;
import io.infergate.gateway.observe.GatewayMetrics;
import io.infergate.gateway.proxy.AdmissionGuard;
import io.infergate.gateway.proxy.ExchangeListener;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * API keys and limits in front of flow control. In order: the {@code Authorization: Bearer} key (401
 * when keys are required and it is missing or wrong), the model (403 when the key may not call it),
 * concurrency, then requests and tokens per minute of the key and of its tenant (429 with
 * {@code Retry-After} and {@code x-ratelimit-*}). Tokens are reserved as the prompt estimate plus
 * {@code max_tokens} ({@link #DEFAULT_COMPLETION_RESERVE} when absent) and settled when the response
 * ends: to its {@code usage}, else for a stream to the prompt estimate plus the events relayed, else
 * (an error, nothing relayed) to nothing. A runtime key that cannot be checked because its store is
 * unreachable is answered 503 {@code key_store_unavailable}. What admitted requests hold until their
 * response ends shows in {@code infergate_ratelimit_held{kind="slots"|"tokens"}}: 0 when idle.
 *
 * <p>Without API keys, the tenant is the one {@code x-infergate-tenant} names, and its configured
 * limits apply.
 *
 * <pre>{@code
 * AdmissionGuard guard = new AccessGuard(keys, config.authRequired(), limiter, new ConcurrencyLimits(), metrics);
 * // or, with everything built from the config: AccessControl.start(vertx, config, metrics, ticker).guard()
 * }</pre>
 */
public final class AccessGuard implements AdmissionGuard {

    /** Completion tokens reserved for a request that sets no {@code max_tokens}. */
    public static final int DEFAULT_COMPLETION_RESERVE = 256;
    private static final String BEARER = "bearer ";
    private static final String EMBEDDINGS = "/v1/embeddings";

    private final KeyRegistry keys;
    private final boolean authRequired;
    private final RateLimiter limiter;
    private final ConcurrencyLimits concurrency;
    private final GatewayMetrics metrics;
    /** Tokens reserved by admitted requests whose response has not ended yet. */
    private final AtomicLong unsettledTokens = new AtomicLong();

    public AccessGuard(KeyRegistry keys, boolean authRequired, RateLimiter limiter, ConcurrencyLimits concurrency,
                       GatewayMetrics metrics) {
        this.keys = keys;
        this.authRequired = authRequired;
        this.limiter = limiter;
        this.concurrency = concurrency;
        this.metrics = metrics;
        metrics.admissionHeldGauge("slots", concurrency::held);
        metrics.admissionHeldGauge("tokens", unsettledTokens::get);
    }

    @Override
    public Future<Decision> check(HttpServerRequest request, InferenceBody body) {
        String path = request.path();
        if (!authRequired) {
            return future(admit(Optional.empty(),
                    Caller.anonymous(RequestClassifier.namedTenant(request.headers())), body, path));
        }
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (authorization == null || authorization.isBlank()) {
            return future(refuseAuth(ApiError.missingApiKey()));
        }
        if (!authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return future(refuseAuth(ApiError.invalidApiKey()));
        }
        return future(keys.authenticate(authorization.substring(BEARER.length()).trim())
                .handle((grant, failure) -> failure != null
                        ? refuseUnchecked()
                        : grant.isEmpty() ? refuseAuth(ApiError.invalidApiKey()) : authorized(grant.get(), body, path))
                .thenCompose(decision -> decision));
    }

    /** A stage that is complete already becomes a completed future, without a hop through Vert.x. */
    private static Future<Decision> future(CompletionStage<Decision> decided) {
        if (decided instanceof CompletableFuture<Decision> ready && ready.isDone()) {
            return Future.succeededFuture(ready.join());
        }
        return Future.fromCompletionStage(decided);
    }

    private CompletionStage<Decision> refuseUnchecked() {
        metrics.authFailed("key_store_unavailable");
        return CompletableFuture.completedFuture(new Refuse(ApiError.keyStoreUnavailable(), Map.of()));
    }

    private CompletionStage<Decision> authorized(KeyGrant grant, InferenceBody body, String path) {
        if (!grant.allows(body.model())) {
            metrics.authFailed("model_not_allowed");
            return CompletableFuture.completedFuture(new Refuse(
                    ApiError.modelNotAllowed(body.model(), grant.id(), grant.models()), Map.of()));
        }
        return admit(Optional.of(grant), new Caller(grant.tenant(), Optional.of(grant.priority()), grant.maxPriority()),
                body, path);
    }

    /** Concurrency, then requests and tokens per minute, for a caller whose key (if any) is good. */
    private CompletionStage<Decision> admit(Optional<KeyGrant> grant, Caller caller, InferenceBody body, String path) {
        Optional<TenantConfig> tenant = keys.tenant(caller.tenant());
        Charges charges = charges(grant, tenant, body, path);
        boolean authenticated = grant.isPresent();
        if (charges.isEmpty()) {
            return CompletableFuture.completedFuture(new Pass(caller, ExchangeListener.NONE, authenticated));
        }
        ConcurrencyLimits.Slot full = concurrency.tryAcquire(charges.slots());
        if (full != null) {
            metrics.rateLimited(full.name().startsWith("key:") ? "key" : "tenant", "concurrent");
            return CompletableFuture.completedFuture(new Refuse(ApiError.rateLimited("Too many concurrent requests for "
                    + describe(full.name()) + ": limit " + full.max(), 1), Map.of()));
        }
        return limiter.acquire(charges.buckets())
                .handle((decision, failure) -> decide(caller, charges, body, decision, failure, authenticated));
    }

    private CompletionStage<Decision> refuseAuth(ApiError error) {
        metrics.authFailed(error.code());
        return CompletableFuture.completedFuture(new Refuse(error, Map.of("www-authenticate", "Bearer")));
    }

    private Decision decide(Caller caller, Charges charges, InferenceBody body, LimitDecision decision,
                            Throwable failure, boolean authenticated) {
        if (failure != null) {
            concurrency.release(charges.slots());
            metrics.rateLimited("tenant", "backend_unavailable");
            return new Refuse(ApiError.limitBackendUnavailable(), Map.of());
        }
        return switch (decision) {
            case LimitDecision.Allowed allowed -> {
                unsettledTokens.addAndGet(charges.reservedTokens());
                yield new Pass(caller, new Settlement(charges, body, RateLimitHeaders.of(allowed.statuses())),
                        authenticated);
            }
            case LimitDecision.Limited limited -> {
                concurrency.release(charges.slots());
                LimitCharge exceeded = limited.exceeded();
                metrics.rateLimited(exceeded.bucket().startsWith("key:") ? "key" : "tenant", exceeded.kind().label());
                int retryAfter = RateLimitHeaders.retryAfterSeconds(limited.retryAfterNanos());
                yield new Refuse(ApiError.rateLimited("Rate limit reached for " + describe(exceeded.bucket()) + ": "
                        + exceeded.perMinute() + " " + exceeded.kind().label() + " per minute; this request needs "
                        + exceeded.amount() + ". Retry after " + retryAfter + " s", retryAfter),
                        RateLimitHeaders.of(limited.statuses()));
            }
        };
    }

    /** What a request takes: its buckets (amounts in tokens reserved) and concurrency slots. */
    private record Charges(List<LimitCharge> buckets, List<ConcurrencyLimits.Slot> slots, long reservedTokens) {
        boolean isEmpty() {
            return buckets.isEmpty() && slots.isEmpty();
        }

        /** The token buckets with {@code amount} each. */
        List<LimitCharge> tokens(long amount) {
            return buckets.stream().filter(c -> c.kind() == LimitKind.TOKENS).map(c -> c.withAmount(amount)).toList();
        }
    }

    private static Charges charges(Optional<KeyGrant> grant, Optional<TenantConfig> tenant, InferenceBody body,
                                   String path) {
        long completion = path.equals(EMBEDDINGS) ? 0 : body.maxTokens() > 0 ? body.maxTokens() : DEFAULT_COMPLETION_RESERVE;
        long reserved = body.estimatedPromptTokens() + completion;
        List<LimitCharge> buckets = new ArrayList<>(4);
        List<ConcurrencyLimits.Slot> slots = new ArrayList<>(2);
        grant.ifPresent(g -> add("key:" + g.id(), g.limits(), reserved, buckets, slots));
        tenant.ifPresent(t -> add("tenant:" + t.name(), t.limits(), reserved, buckets, slots));
        return new Charges(buckets, slots, reserved);
    }

    private static void add(String owner, TenantConfig.Limits limits, long reserved, List<LimitCharge> buckets,
                            List<ConcurrencyLimits.Slot> slots) {
        if (limits.requestsPerMinute() > 0) {
            buckets.add(new LimitCharge(owner + ":rpm", LimitKind.REQUESTS, limits.requestsPerMinute(), 1));
        }
        if (limits.tokensPerMinute() > 0) {
            buckets.add(new LimitCharge(owner + ":tpm", LimitKind.TOKENS, limits.tokensPerMinute(), reserved));
        }
        if (limits.maxConcurrent() > 0) {
            slots.add(new ConcurrencyLimits.Slot(owner, limits.maxConcurrent()));
        }
    }

    /** {@code key:abc:rpm} → {@code API key 'abc'}; {@code tenant:t} → {@code tenant 't'}. */
    private static String describe(String bucket) {
        String[] parts = bucket.split(":");
        return (parts[0].equals("key") ? "API key '" : "tenant '") + parts[1] + "'";
    }

    /** Adds the rate-limit headers to the response and settles the reservation when it ends. */
    private final class Settlement implements ExchangeListener {
        private final Charges charges;
        private final InferenceBody body;
        private final Map<String, String> headers;
        private final AnswerTokens usage = new AnswerTokens();
        private int status;

        Settlement(Charges charges, InferenceBody body, Map<String, String> headers) {
            this.charges = charges;
            this.body = body;
            this.headers = headers;
        }

        @Override
        public void onResponseHead(int responseStatus, MultiMap responseHeaders) {
            status = responseStatus;
            headers.forEach(responseHeaders::set);
        }

        @Override
        public void onChunk(Buffer chunk) {
            usage.feed(chunk);
        }

        @Override
        public void onEnd() {
            concurrency.release(charges.slots());
            unsettledTokens.addAndGet(-charges.reservedTokens());
            long used = usedTokens();
            if (used != charges.reservedTokens()) {
                List<LimitCharge> corrections = charges.tokens(used - charges.reservedTokens());
                if (!corrections.isEmpty()) {
                    limiter.adjust(corrections);
                }
            }
        }

        private long usedTokens() {
            if (status < 200 || status >= 300) {
                return 0;
            }
            return usage.totalTokens().orElse(body.stream()
                    ? body.estimatedPromptTokens() + usage.events()
                    : charges.reservedTokens());
        }
    }
}
