package io.infergate.gateway.event;

/** How a proxied request ended; the {@code outcome} label of the request metrics. */
public enum Outcome {
    /** The endpoint answered 2xx and the whole response reached the client. */
    SUCCESS("success"),
    /** The endpoint answered 4xx; relayed as is. */
    CLIENT_ERROR("client_error"),
    /** The endpoint answered 5xx; relayed as is. */
    UPSTREAM_ERROR("upstream_error"),
    /** No endpoint could be reached, or the response broke off midway. */
    FAILED("failed"),
    /** The client went away before the response was complete. */
    CLIENT_GONE("client_gone"),
    /** The gateway answered itself without proxying (bad request, unknown model, nothing healthy). */
    REJECTED("rejected");

    private final String label;

    Outcome(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Outcome ofStatus(int status) {
        if (status >= 500) {
            return UPSTREAM_ERROR;
        }
        return status >= 400 ? CLIENT_ERROR : SUCCESS;
    }
}
