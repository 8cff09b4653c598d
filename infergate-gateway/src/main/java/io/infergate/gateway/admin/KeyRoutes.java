package io.infergate.gateway.admin;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.infergate.core.flow.FlowPolicy;
import io.infergate.gateway.api.ApiError;
import io.infergate.gateway.api.BoundedBody;
import io.infergate.gateway.config.TenantConfig;
import io.infergate.gateway.security.ApiKey;
import io.infergate.gateway.security.KeyGrant;
import io.infergate.gateway.security.KeyRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The admin API's key routes. {@code POST /admin/keys} creates a key and answers it once, with 201; with
 * {@code "key"}, it adds that key instead, one the user already has ({@link ApiKey}), answered 201 without
 * it, 409 {@code key_exists} when the gateway knows it already, 400 saying what is wrong with it (never
 * repeating it); {@code GET /admin/keys} lists keys without secrets; {@code DELETE /admin/keys/{id}}
 * revokes a runtime key at once (on other replicas sharing a Redis key store, within about a second);
 * while that store is unreachable, creating and revoking answer 503 {@code key_store_unavailable}. Bodies
 * and answers are JSON; errors are OpenAI-shaped with a message naming the field.
 *
 * <pre>{@code
 * curl -X POST localhost:8081/admin/keys -d '{"tenant":"fraud","name":"ci","limits":{"rpm":60}}'
 * curl -X POST localhost:8081/admin/keys -d @- <<< "{\"tenant\":\"fraud\",\"key\":\"$OLD_KEY\"}"
 * }</pre>
 */
final class KeyRoutes {

    static final String PATH = "/admin/keys";
    private static final long MAX_BODY_BYTES = 64 * 1024;
    private static final Set<String> FIELDS = Set.of("tenant", "key", "name", "models", "priority", "max_priority",
            "limits");
    private static final Set<String> LIMIT_FIELDS = Set.of("rpm", "tpm", "max_concurrent");

    private final ObjectMapper json;
    private final KeyRegistry keys;
    private final boolean authRequired;
    private final FlowPolicy flow;

    KeyRoutes(ObjectMapper json, KeyRegistry keys, boolean authRequired, FlowPolicy flow) {
        this.json = json;
        this.keys = keys;
        this.authRequired = authRequired;
        this.flow = flow;
    }

    void handle(HttpServerRequest request) {
        String path = request.path();
        HttpMethod method = request.method();
        if (path.equals(PATH) && method == HttpMethod.GET) {
            send(request, 200, Map.of("keys", keys.list().stream().map(KeyRoutes::describe).toList()));
        } else if (path.equals(PATH) && method == HttpMethod.POST) {
            BoundedBody.read(request, MAX_BODY_BYTES, body -> create(request, body.toString()),
                    error -> error(request, error));
        } else if (path.startsWith(PATH + "/") && method == HttpMethod.DELETE) {
            revoke(request, path.substring(PATH.length() + 1));
        } else {
            error(request, ApiError.methodNotAllowed(method.name(), path));
        }
    }

    private void create(HttpServerRequest request, String body) {
        if (!authRequired) {
            error(request, new ApiError(409, "invalid_request_error", "auth_disabled", "API keys are off: no tenant in "
                    + "the config file has a key, so the gateway is open and a new key would not be asked for. "
                    + "Give a tenant a key in tenants[].keys (see ./infergate keys hash) to turn them on", 0));
            return;
        }
        KeyRegistry.Spec spec;
        Optional<ApiKey> own;
        try {
            JsonNode root = json.readTree(body);
            spec = spec(root);
            own = ownKey(root);
        } catch (JsonProcessingException e) {
            // the location only: the parser's message quotes the text it choked on, which may be a key
            JsonLocation at = e.getLocation();
            error(request, ApiError.badRequest("malformed JSON" + (at == null ? "" : " at line " + at.getLineNr()
                    + ", column " + at.getColumnNr()) + " (expected an object such as {\"tenant\": \"fraud\"})"));
            return;
        } catch (IllegalArgumentException e) {
            error(request, ApiError.badRequest(e.getMessage()));
            return;
        }
        if (own.isPresent()) {
            add(request, spec, own.get());
        } else {
            mint(request, spec);
        }
    }

    private void mint(HttpServerRequest request, KeyRegistry.Spec spec) {
        onContext(keys.create(spec)).onSuccess(created -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("key", created.key().token());
            answer.put("note", "the key is shown this once; the gateway keeps only its salted hash");
            answer.putAll(describe(created.grant()));
            send(request, 201, answer);
        }).onFailure(failure -> storeUnavailable(request, failure));
    }

    private void add(HttpServerRequest request, KeyRegistry.Spec spec, ApiKey key) {
        onContext(keys.add(spec, key)).onSuccess(added -> {
            if (added.isEmpty()) {
                error(request, new ApiError(409, "invalid_request_error", "key_exists", "key: the gateway knows this "
                        + "key already, as id '" + key.id() + "' (see GET " + PATH + "); nothing was changed", 0));
                return;
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("note", "the key you sent is kept only as its salted hash");
            answer.putAll(describe(added.get()));
            send(request, 201, answer);
        }).onFailure(failure -> storeUnavailable(request, failure));
    }

    private void revoke(HttpServerRequest request, String id) {
        onContext(keys.revoke(id)).onSuccess(revocation -> {
            switch (revocation) {
                case REVOKED -> send(request, 200, Map.of("id", id, "revoked", true));
                case NOT_FOUND -> error(request, new ApiError(404, "invalid_request_error", "key_not_found",
                        "key: '" + id + "' (expected the id of a key listed by GET " + PATH + ")", 0));
                case FROM_CONFIG -> error(request, new ApiError(409, "invalid_request_error", "key_from_config",
                        "key: '" + id + "' is defined in the config file (tenants[].keys); remove it there and reload", 0));
            }
        }).onFailure(failure -> storeUnavailable(request, failure));
    }

    /** The stage's outcome back on the calling request's context. */
    private static <T> Future<T> onContext(CompletionStage<T> stage) {
        return Future.fromCompletionStage(stage, Vertx.currentContext());
    }

    /** 503 naming the store's failure: the key was not created or revoked. */
    private static void storeUnavailable(HttpServerRequest request, Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        error(request, new ApiError(503, "service_unavailable", "key_store_unavailable",
                "API keys cannot be changed now: " + cause.getMessage() + "; nothing was changed, try again", 1));
    }

    /** Reads and checks a create request; the exception's message names the field. */
    private KeyRegistry.Spec spec(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("body: expected a JSON object such as {\"tenant\": \"fraud\"}");
        }
        unknownFields(root, FIELDS, "");
        String tenantName = text(root, "tenant").orElseThrow(() ->
                new IllegalArgumentException("tenant: required (expected the name of a configured tenant)"));
        TenantConfig tenant = keys.tenant(tenantName).orElseThrow(() -> new IllegalArgumentException(
                "tenant: '" + tenantName + "' (expected the name of a configured tenant)"));
        List<String> models = new ArrayList<>();
        JsonNode modelsNode = root.path("models");
        if (!modelsNode.isMissingNode() && !modelsNode.isNull()) {
            if (!modelsNode.isArray()) {
                throw new IllegalArgumentException("models: expected a list of model names, found " + modelsNode);
            }
            modelsNode.forEach(model -> {
                if (!model.isTextual() || (!tenant.models().isEmpty() && !tenant.models().contains(model.asText()))) {
                    throw new IllegalArgumentException("models: " + model + " (expected "
                            + (tenant.models().isEmpty() ? "model names" : "one of the tenant's " + tenant.models()) + ")");
                }
                models.add(model.asText());
            });
        }
        Optional<String> priority = priorityClass(root, "priority");
        Optional<String> maxPriority = priorityClass(root, "max_priority");
        if (priority.isPresent() && maxPriority.isPresent()
                && flow.rank(priority.get()) < flow.rank(maxPriority.get())) {
            throw new IllegalArgumentException("priority: '" + priority.get() + "' (expected a class no higher than "
                    + "max_priority '" + maxPriority.get() + "')");
        }
        return new KeyRegistry.Spec(tenantName, text(root, "name").orElse(""), models, priority, maxPriority,
                limits(root.path("limits")));
    }

    /** The key of the user's own in {@code key}, if any; the exception's message never repeats it. */
    private static Optional<ApiKey> ownKey(JsonNode root) {
        JsonNode value = root.path("key");
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("key: expected a string (a key you already have), found a JSON "
                    + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        try {
            return Optional.of(ApiKey.of(value.asText()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key: " + e.getMessage());
        }
    }

    private TenantConfig.Limits limits(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return TenantConfig.Limits.NONE;
        }
        if (!node.isObject()) {
            throw new IllegalArgumentException("limits: expected an object such as {\"rpm\": 60}, found " + node);
        }
        unknownFields(node, LIMIT_FIELDS, "limits.");
        return new TenantConfig.Limits(count(node, "rpm", Long.MAX_VALUE), count(node, "tpm", Long.MAX_VALUE),
                (int) count(node, "max_concurrent", Integer.MAX_VALUE));
    }

    private static long count(JsonNode limits, String field, long max) {
        JsonNode value = limits.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return 0;
        }
        if (!value.canConvertToLong() || !value.isIntegralNumber() || value.asLong() < 0 || value.asLong() > max) {
            throw new IllegalArgumentException("limits." + field + ": " + value + " (expected a whole number from 0 to "
                    + max + ")");
        }
        return value.asLong();
    }

    private Optional<String> priorityClass(JsonNode root, String field) {
        Optional<String> name = text(root, field);
        name.filter(n -> flow.rank(n) < 0).ifPresent(n -> {
            throw new IllegalArgumentException(field + ": '" + n + "' (expected one of the priority classes "
                    + String.join(", ", flow.classNames()) + ")");
        });
        return name;
    }

    private static Optional<String> text(JsonNode root, String field) {
        JsonNode value = root.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.asText().isBlank()) {
            throw new IllegalArgumentException(field + ": expected a non-empty string, found " + value);
        }
        return Optional.of(value.asText());
    }

    private static void unknownFields(JsonNode object, Set<String> known, String prefix) {
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!known.contains(name)) {
                throw new IllegalArgumentException(prefix + name + ": unknown field (expected one of: "
                        + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
    }

    /** A key as listed: everything but the secret, and not the hash either. */
    private static Map<String, Object> describe(KeyGrant grant) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("id", grant.id());
        entry.put("name", grant.name());
        entry.put("tenant", grant.tenant());
        entry.put("source", grant.source().name().toLowerCase(java.util.Locale.ROOT));
        entry.put("models", grant.models());
        entry.put("priority", grant.priority());
        entry.put("max_priority", grant.maxPriority().orElse(null));
        entry.put("limits", Map.of("rpm", grant.limits().requestsPerMinute(), "tpm", grant.limits().tokensPerMinute(),
                "max_concurrent", grant.limits().maxConcurrent()));
        entry.put("created", grant.createdEpochMillis() == 0 ? null
                : java.time.Instant.ofEpochMilli(grant.createdEpochMillis()).toString());
        return entry;
    }

    private void send(HttpServerRequest request, int status, Object body) {
        JsonAnswer.send(request, json, status, body);
    }

    private static void error(HttpServerRequest request, ApiError error) {
        error.sendTo(request.response());
    }
}
