package io.infergate.gateway.config;

import io.infergate.core.model.ModelRoute;
import org.snakeyaml.engine.v2.nodes.Node;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code models:} section: a served model's aliases and ordered fallbacks. Reads after {@code pools:},
 * whose models are the ones that may be routed and fallen back to.
 */
final class ModelsBinder {

    private final NodeReader reader;
    private final FirstSeen routedModels;
    private final FirstSeen modelAliases;

    ModelsBinder(Converters convert) {
        this.reader = convert.reader();
        this.routedModels = new FirstSeen("model route", reader.problems());
        this.modelAliases = new FirstSeen("model alias", reader.problems());
    }

    /** @param served the pools' models */
    Optional<List<ModelRoute>> bind(Node node, String path, Set<String> served) {
        return reader.list(node, path, (item, itemPath) -> modelRoute(item, itemPath, served));
    }

    private Optional<ModelRoute> modelRoute(Node node, String path, Set<String> served) {
        return reader.mapping(node, path).flatMap(m -> {
            Optional<String> name = m.required("name", servedModel(served, "a model some pool serves"));
            name.ifPresent(n -> routedModels.claim(n, m.at("name"), m.path("name")));
            List<String> aliases = m.optional("aliases", (n, p) -> reader.list(n, p, (item, itemPath) ->
                    reader.token(item, itemPath).filter(alias -> {
                        if (served.contains(alias)) {
                            reader.problems().add(item, itemPath, "expected a name of its own, found '" + alias
                                    + "', which a pool serves as a model");
                            return false;
                        }
                        return modelAliases.claim(alias, item, itemPath);
                    })), List.of());
            List<String> fallbacks = m.optional("fallbacks", (n, p) -> reader.list(n, p, (item, itemPath) ->
                    servedModel(served, "a served model to fall back to").convert(item, itemPath)
                            .filter(fallback -> {
                                boolean other = name.map(own -> !own.equals(fallback)).orElse(true);
                                if (!other) {
                                    reader.problems().add(item, itemPath, "expected a model other than '"
                                            + fallback + "' itself, found '" + fallback + "'");
                                }
                                return other;
                            })), List.of());
            m.finish();
            return name.map(n -> new ModelRoute(n, aliases, fallbacks));
        });
    }

    private NodeConverter<String> servedModel(Set<String> served, String expected) {
        return (node, path) -> reader.token(node, path).filter(model -> {
            boolean known = served.isEmpty() || served.contains(model);
            if (!known) {
                reader.problems().add(node, path, "expected " + expected + " (one of: " + String.join(", ", served)
                        + "), found '" + model + "'" + Suggestions.didYouMean(model, served));
            }
            return known;
        });
    }
}
