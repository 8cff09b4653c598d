package io.infergate.core.schedule;

/** The outcome of one {@link Scheduler#pick}: an endpoint, or why there is none. */
public sealed interface Pick {

    /**
     * An endpoint was chosen.
     *
     * @param slot       the endpoint's slot in the snapshot the pick was made on
     * @param endpointId the endpoint's id
     * @param score      its combined score, 0..1
     */
    record Chosen(int slot, String endpointId, double score) implements Pick {
    }

    /**
     * No endpoint can take the request.
     *
     * @param reason what a user should read, e.g. {@code no endpoint serves model 'x'}
     * @param modelServed false when no endpoint of the fleet serves the model at all (a 404, not a 503)
     */
    record NoCandidate(String reason, boolean modelServed) implements Pick {
    }
}
