package io.infergate.core.model;

import io.infergate.core.fleet.FleetSnapshot;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * Resolves the model a client names to the model that serves the request: an alias becomes its
 * model, and a model whose endpoints are all down, draining or full hands the request to the first of
 * its fallbacks that can take it. Immutable; the fleet and the set of full endpoints are passed in,
 * so the gateway and the simulator ask the same questions.
 *
 * <pre>{@code
 * ModelCatalog catalog = ModelCatalog.of(fleet.models(), routes);
 * Optional<String> model = catalog.resolve("gpt-4o");                     // "llama-3.1-70b-instruct"
 * String served = catalog.choose(model.get(), fleet, m -> flow.hasRoom(m, "standard"));
 * Optional<String> next = catalog.nextFallback(model.get(), served, fleet, m -> true);   // after failures
 * }</pre>
 */
public final class ModelCatalog {

    private final Map<String, String> modelByName;
    private final Map<String, List<String>> fallbacks;

    private ModelCatalog(Map<String, String> modelByName, Map<String, List<String>> fallbacks) {
        this.modelByName = Map.copyOf(modelByName);
        this.fallbacks = Map.copyOf(fallbacks);
    }

    /**
     * A catalog of the {@code served} models with {@code routes}' aliases and fallbacks. Every route's
     * model and fallbacks must be served, and no alias may name a served model or another alias.
     */
    public static ModelCatalog of(Collection<String> served, List<ModelRoute> routes) {
        Map<String, String> byName = new HashMap<>();
        served.forEach(model -> byName.put(model, model));
        Map<String, List<String>> fallbacks = new HashMap<>();
        for (ModelRoute route : routes) {
            requireServed(served, route.model(), "model");
            route.fallbacks().forEach(fallback -> requireServed(served, fallback, "fallback of '" + route.model() + "'"));
            if (fallbacks.put(route.model(), route.fallbacks()) != null) {
                throw new IllegalArgumentException("model: '" + route.model() + "' has two routes (expected: one)");
            }
            for (String alias : route.aliases()) {
                String before = byName.putIfAbsent(alias, route.model());
                if (before != null) {
                    throw new IllegalArgumentException("alias '" + alias + "' of '" + route.model()
                            + "': already names '" + before + "' (expected: a name of its own)");
                }
            }
        }
        return new ModelCatalog(byName, fallbacks);
    }

    private static void requireServed(Collection<String> served, String model, String what) {
        if (!served.contains(model)) {
            throw new IllegalArgumentException(what + ": '" + model + "' (expected one of the served models: "
                    + new TreeSet<>(served) + ")");
        }
    }

    /** The served model {@code requested} names, itself or through an alias; empty when it names none. */
    public Optional<String> resolve(String requested) {
        return Optional.ofNullable(modelByName.get(requested));
    }

    /** Every name a client may use: the served models and the aliases, sorted. */
    public SortedSet<String> names() {
        return new TreeSet<>(modelByName.keySet());
    }

    /** {@code model}'s fallbacks, in the order they are tried. */
    public List<String> fallbacks(String model) {
        return fallbacks.getOrDefault(model, List.of());
    }

    /**
     * The model to send a request for {@code model} to: {@code model} itself when one of its endpoints
     * accepts requests and {@code hasRoom} says its pool is not saturated, else the first fallback of
     * which that holds, else {@code model} (whose queue or error then speaks for it).
     */
    public String choose(String model, FleetSnapshot fleet, Predicate<String> hasRoom) {
        if (available(model, fleet, hasRoom)) {
            return model;
        }
        for (String fallback : fallbacks(model)) {
            if (available(fallback, fleet, hasRoom)) {
                return fallback;
            }
        }
        return model;
    }

    /**
     * After every endpoint of {@code current} failed or refused a request for {@code model}: the next
     * of {@code model}'s fallbacks after {@code current} that has an endpoint accepting requests and
     * room by {@code hasRoom}; empty when none is left.
     */
    public Optional<String> nextFallback(String model, String current, FleetSnapshot fleet, Predicate<String> hasRoom) {
        List<String> order = new ArrayList<>();
        order.add(model);
        order.addAll(fallbacks(model));
        for (int i = order.indexOf(current) + 1; i > 0 && i < order.size(); i++) {
            if (available(order.get(i), fleet, hasRoom)) {
                return Optional.of(order.get(i));
            }
        }
        return Optional.empty();
    }

    /** True when an endpoint of {@code model} accepts requests and flow control finds room for one more. */
    private static boolean available(String model, FleetSnapshot fleet, Predicate<String> hasRoom) {
        for (int slot : fleet.slotsServing(model)) {
            if (fleet.load(slot).acceptsRequests()) {
                return hasRoom.test(model);
            }
        }
        return false;
    }
}
