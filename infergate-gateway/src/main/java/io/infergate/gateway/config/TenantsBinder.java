package io.infergate.gateway.config;

import io.infergate.core.flow.FlowPolicy;
import io.infergate.gateway.security.KeyHash;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.List;
import java.util.Optional;

/**
 * The {@code tenants:} section: each tenant's classes, models, weight, API keys and limits. Reads after
 * {@code flow_control:}, whose classes the tenants name. Tenant names and key ids are unique in the file.
 */
final class TenantsBinder {

    private static final int MAX_CONCURRENT = 1_000_000;

    private final Converters convert;
    private final NodeReader reader;
    private final FirstSeen tenantNames;
    private final FirstSeen keyIds;

    TenantsBinder(Converters convert) {
        this.convert = convert;
        this.reader = convert.reader();
        this.tenantNames = new FirstSeen("tenant name", reader.problems());
        this.keyIds = new FirstSeen("API key id", reader.problems());
    }

    Optional<List<TenantConfig>> bind(Node node, String path, FlowSection flow) {
        return reader.list(node, path, (item, itemPath) -> tenant(item, itemPath, flow));
    }

    private Optional<TenantConfig> tenant(Node node, String path, FlowSection flow) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<String> name = m.required("name", reader::name);
            name.ifPresent(n -> tenantNames.claim(n, m.at("name"), m.path("name")));
            NodeConverter<String> className = convert.className(flow.classNames());
            String priority = m.optional("priority", className, flow.defaultClass());
            Optional<String> maxPriority = m.optional("max_priority", className);
            maxPriority.ifPresent(max -> requireWithin(m, "priority", priority, max, flow));
            List<String> models = m.optional("models", this::modelNames, List.of());
            double weight = m.optional("weight", convert.decimal("> 0", w -> w > 0), FlowPolicy.DEFAULT_WEIGHT);
            List<TenantConfig.Key> keys = m.optional("keys",
                    (n, p) -> reader.list(n, p, (item, itemPath) -> key(item, itemPath, flow, models)), List.of());
            TenantConfig.Limits limits = m.optional("limits", this::limits, TenantConfig.Limits.NONE);
            m.finish();
            return name.map(n -> new TenantConfig(n, priority, maxPriority, models, weight, keys, limits));
        });
    }

    private Optional<TenantConfig.Key> key(Node node, String path, FlowSection flow, List<String> tenantModels) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<KeyHash> hash = m.required("hash", (n, p) -> reader.nonBlank(n, p).flatMap(text -> {
                try {
                    KeyHash parsed = KeyHash.parse(text);
                    return keyIds.claim(parsed.id(), n, p) ? Optional.of(parsed) : Optional.empty();
                } catch (IllegalArgumentException e) {
                    reader.problems().add(n, p, e.getMessage());
                    return Optional.empty();
                }
            }));
            String name = m.optional("name", reader::nonBlank, "");
            List<String> models = m.optional("models", this::modelNames, List.of());
            if (!tenantModels.isEmpty() && !tenantModels.containsAll(models)) {
                reader.problems().add(m.at("models"), m.path("models"), "expected models among the tenant's "
                        + tenantModels + ", found " + models.stream().filter(model -> !tenantModels.contains(model)).toList());
            }
            NodeConverter<String> className = convert.className(flow.classNames());
            Optional<String> priority = m.optional("priority", className);
            Optional<String> maxPriority = m.optional("max_priority", className);
            maxPriority.ifPresent(max -> priority.ifPresent(p -> requireWithin(m, "priority", p, max, flow)));
            TenantConfig.Limits limits = m.optional("limits", this::limits, TenantConfig.Limits.NONE);
            m.finish();
            return hash.map(h -> new TenantConfig.Key(h, name, models, priority, maxPriority, limits));
        });
    }

    /** Reports {@code key}'s class when it is above {@code max}: a default class the caller may not ask for. */
    private void requireWithin(YamlMapping m, String key, String priorityClass, String max, FlowSection flow) {
        if (flow.classNames().indexOf(priorityClass) < flow.classNames().indexOf(max)) {
            reader.problems().add(m.at(key), m.path(key), "expected a class no higher than max_priority '" + max
                    + "', found '" + priorityClass + "'");
        }
    }

    private Optional<List<String>> modelNames(Node node, String path) {
        FirstSeen seen = new FirstSeen("model", reader.problems());
        return reader.list(node, path, (item, itemPath) -> reader.token(item, itemPath)
                .filter(model -> seen.claim(model, item, itemPath)));
    }

    private Optional<TenantConfig.Limits> limits(Node node, String path) {
        return reader.mapping(node, path).map(m -> {
            NodeConverter<Long> perMinute = (n, p) -> reader.integer(n, p, 0, Long.MAX_VALUE);
            long rpm = m.optional("rpm", perMinute, TenantConfig.Limits.NONE.requestsPerMinute());
            long tpm = m.optional("tpm", perMinute, TenantConfig.Limits.NONE.tokensPerMinute());
            int concurrent = m.optional("max_concurrent", convert.intIn(0, MAX_CONCURRENT),
                    TenantConfig.Limits.NONE.maxConcurrent());
            m.finish();
            return new TenantConfig.Limits(rpm, tpm, concurrent);
        });
    }
}
