package io.infergate.core.retry;

/**
 * How one attempt to send a request to an endpoint failed, as the gateway saw it. Whether it may be
 * retried is {@link RetryPolicy}'s decision; every kind counts as a failure of the endpoint for
 * {@link io.infergate.core.health.OutlierDetector}.
 */
public sealed interface AttemptFailure {

    /** No connection could be made (refused, unreachable, connect timeout): nothing reached the endpoint. */
    record ConnectFailed() implements AttemptFailure {
    }

    /**
     * The attempt was waiting for its response head when its endpoint was ejected (failed probes, failures
     * in a row): the gateway gave it up at once instead of waiting for the per-try timeout.
     */
    record EndpointEjected() implements AttemptFailure {
    }

    /**
     * The attempt was waiting for its response head when its endpoint was seen to stall (it answered
     * nothing, for any request, for far longer than its pool needs; see
     * {@link io.infergate.core.health.StallRule}): the gateway gave it up at once.
     */
    record EndpointStalled() implements AttemptFailure {
    }

    /** The connection broke after the request was sent, before the response head arrived. */
    record ConnectionLost() implements AttemptFailure {
    }

    /** No response head arrived within the per-try timeout. */
    record TimedOut() implements AttemptFailure {
    }

    /**
     * The endpoint answered with a 5xx status.
     *
     * @param status the status, 500-599
     */
    record ServerError(int status) implements AttemptFailure {
        public ServerError {
            if (status < 500 || status > 599) {
                throw new IllegalArgumentException("status: " + status + " (expected: 500-599)");
            }
        }
    }

    /** The response failed after some of it was relayed to the client (a stream cut mid-way). */
    record CutMidResponse() implements AttemptFailure {
    }
}
