package io.infergate.loadgen.client;

import java.util.Objects;

/** How one request ended: answered in full, or failed for a reason. */
public sealed interface Outcome {

    /** The HTTP status received, or 0 when no answer arrived. */
    int status();

    /**
     * A complete answer: status 2xx and, for a stream, {@code data: [DONE]}.
     *
     * @param outputTokens tokens received: content chunks of a stream, or the {@code usage} count of a
     *                     non-streamed answer (0 when absent)
     */
    record Ok(int status, long outputTokens) implements Outcome {
    }

    /**
     * A failed request.
     *
     * @param kind   what went wrong
     * @param detail the exception message or status line, for logs
     */
    record Failed(ErrorKind kind, int status, String detail) implements Outcome {
        public Failed {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(detail, "detail");
        }
    }
}
