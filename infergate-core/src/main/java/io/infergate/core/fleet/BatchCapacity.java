package io.infergate.core.fleet;

import java.util.Objects;

/**
 * How many requests one endpoint runs in its batch at once, and where that figure comes from. A request
 * beyond it waits in the server's own first-come queue; flow control keeps lower classes out of that queue.
 *
 * <pre>{@code
 * BatchCapacity capacity = fleet.batchCapacity(slot);
 * if (capacity.known()) { bound = capacity.requests(); }
 * }</pre>
 *
 * @param requests the batch size, {@code >= 1}, or 0 when nothing is known
 * @param source   where it comes from; {@link Source#UNKNOWN} exactly when {@code requests} is 0
 */
public record BatchCapacity(int requests, Source source) {

    /** Where a batch capacity comes from, most trusted first. */
    public enum Source {
        /** {@code flow_control.saturation.max_requests_per_endpoint}: the operator's figure wins over all others. */
        CONFIGURED,
        /** A limit the server exports on its metrics page (SGLang's {@code sglang:max_running_requests}). */
        EXPORTED,
        /** The plateau of the server's running count while requests waited on it. */
        OBSERVED,
        /** The default batch size of the engine behind the endpoint's declared accelerator. */
        DECLARED,
        /** Nothing known: no bound on the requests sent to the endpoint. */
        UNKNOWN;

        /** The name shown on {@code /admin/endpoints}. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public static final BatchCapacity UNKNOWN = new BatchCapacity(0, Source.UNKNOWN);

    public BatchCapacity {
        Objects.requireNonNull(source, "source");
        if (requests < 0 || (requests == 0) != (source == Source.UNKNOWN)) {
            throw new IllegalArgumentException("batch capacity: " + requests + " from " + source
                    + " (expected: >= 1, or 0 exactly when unknown)");
        }
    }

    public boolean known() {
        return requests > 0;
    }
}
