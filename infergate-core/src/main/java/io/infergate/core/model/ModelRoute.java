package io.infergate.core.model;

import java.util.List;
import java.util.Objects;

/**
 * What a served model may also be called, and which models stand in for it, in order, when its own
 * endpoints are down or full.
 *
 * <pre>{@code
 * new ModelRoute("llama-3.1-70b-instruct", List.of("gpt-4o"), List.of("llama-3.1-8b-instruct"));
 * }</pre>
 *
 * @param model     a model some pool serves
 * @param aliases   other names clients may use for it
 * @param fallbacks models tried in this order when {@code model} cannot take the request
 */
public record ModelRoute(String model, List<String> aliases, List<String> fallbacks) {

    public ModelRoute {
        Objects.requireNonNull(model, "model");
        aliases = List.copyOf(aliases);
        fallbacks = List.copyOf(fallbacks);
        if (fallbacks.contains(model)) {
            throw new IllegalArgumentException("fallbacks of '" + model + "': " + fallbacks
                    + " (expected: models other than '" + model + "')");
        }
    }
}
