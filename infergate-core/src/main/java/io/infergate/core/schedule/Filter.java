package io.infergate.core.schedule;

/**
 * The first stage of a pick: removes the endpoints that cannot take the request at all. Runs for
 * every endpoint serving the model on every pick, so an implementation must not allocate when the
 * endpoint passes, and should return constant reasons.
 */
interface Filter {

    /** A short name shown in {@link PickExplanation}, e.g. {@code accepts-requests}. */
    String name();

    /** Why the endpoint at {@code slot} cannot take the request, or {@code null} when it can. */
    String rejection(PickContext context, int slot);
}
