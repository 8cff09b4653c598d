package io.infergate.gateway.flow;

import io.infergate.core.flow.FlowPolicy;
import io.infergate.core.flow.FlowRequest;
import io.infergate.gateway.api.ApiError;
import io.infergate.gateway.config.FlowControlConfig;
import io.infergate.gateway.config.TenantConfig;
import io.infergate.gateway.proxy.Headers;
import io.vertx.core.MultiMap;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Reads a request's priority class, tenant and deadline from its headers and its {@link Caller}:
 * {@code x-infergate-priority} (an unknown class is a 400 listing the classes; a class above the
 * caller's {@code maxClass} is lowered to it), else the caller's default class, else the tenant's
 * configured class, else {@code flow_control.default_class}; the tenant is the caller's (its API key's,
 * or {@code x-infergate-tenant} without keys); {@code x-infergate-deadline-ms}, the longest the request
 * may wait for capacity. With flow control off, the priority and deadline headers are ignored, as a
 * plain proxy would.
 *
 * <pre>{@code
 * RequestClassifier classifier = new RequestClassifier(config.flowControl(), config.tenants());
 * if (classifier.classify(request.headers(), arrivalNanos, caller) instanceof Classification.Invalid invalid) {
 *     reply(invalid.error());
 * }
 * }</pre>
 */
public final class RequestClassifier {

    private static final Pattern MILLIS = Pattern.compile("[0-9]{1,12}");

    private final boolean enabled;
    private final FlowPolicy policy;
    private final Map<String, String> classOfTenant = new HashMap<>();

    public RequestClassifier(FlowControlConfig config, List<TenantConfig> tenants) {
        this.enabled = config.enabled();
        this.policy = config.policy();
        tenants.forEach(tenant -> classOfTenant.put(tenant.name(), tenant.priority()));
    }

    /** The tenant a request names in {@code x-infergate-tenant}, {@code ""} when none. */
    public static String namedTenant(MultiMap headers) {
        String tenant = headers.get(Headers.TENANT);
        return tenant == null ? "" : tenant.trim();
    }

    public Classification classify(MultiMap headers, long arrivalNanos, Caller caller) {
        String tenant = caller.tenant();
        String fallback = caller.defaultClass().orElseGet(() -> classOfTenant.getOrDefault(tenant, policy.defaultClass()));
        if (!enabled) {
            return new Classification.Classified(fallback, tenant, FlowRequest.NO_DEADLINE);
        }
        String asked = headers.get(Headers.PRIORITY);
        String priorityClass = asked == null || asked.isBlank() ? fallback : asked.trim();
        if (policy.rank(priorityClass) < 0) {
            return new Classification.Invalid(ApiError.unknownPriorityClass(Headers.PRIORITY, priorityClass,
                    policy.classNames()));
        }
        if (caller.maxClass().isPresent() && policy.rank(priorityClass) < policy.rank(caller.maxClass().get())) {
            priorityClass = caller.maxClass().get();
        }
        String deadline = headers.get(Headers.DEADLINE_MS);
        long deadlineNanos = FlowRequest.NO_DEADLINE;
        if (deadline != null) {
            if (!MILLIS.matcher(deadline.trim()).matches()) {
                return new Classification.Invalid(ApiError.badRequest("Header " + Headers.DEADLINE_MS
                        + ": expected a whole number of milliseconds >= 0, found '" + deadline + "'"));
            }
            deadlineNanos = arrivalNanos + TimeUnit.MILLISECONDS.toNanos(Long.parseLong(deadline.trim()));
        }
        return new Classification.Classified(priorityClass, tenant, deadlineNanos);
    }
}
