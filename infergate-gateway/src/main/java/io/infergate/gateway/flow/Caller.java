package io.infergate.gateway.flow;

import java.util.Objects;
import java.util.Optional;

/**
 * Who sent a request, as far as flow control cares: the tenant, and the priority classes its API key
 * allows. Without API keys the tenant is whatever {@code x-infergate-tenant} says and no class is capped.
 *
 * <pre>{@code
 * Caller caller = new Caller("fraud", Optional.of("critical"), Optional.of("critical"));
 * classifier.classify(request.headers(), arrivalNanos, caller);
 * }</pre>
 *
 * @param tenant       the tenant, {@code ""} when none is named
 * @param defaultClass the class of a request naming none; empty for the tenant's configured class
 * @param maxClass     the highest class the caller may ask for; a higher one is lowered to it
 */
public record Caller(String tenant, Optional<String> defaultClass, Optional<String> maxClass) {

    public Caller {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(defaultClass, "defaultClass");
        Objects.requireNonNull(maxClass, "maxClass");
    }

    /** A caller known only by the tenant it names. */
    public static Caller anonymous(String tenant) {
        return new Caller(tenant, Optional.empty(), Optional.empty());
    }
}
